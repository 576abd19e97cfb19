using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Snapshots;

/// <summary>
/// The generated code for a representative set of declarations, compared with committed snapshot files.
/// To accept a deliberate change: IOMMU_ACCEPT_SNAPSHOTS=1 dotnet test --filter SnapshotTests, then review
/// the diff of tests/IommuContracts.Generators.Tests/Snapshots/ like any other code change.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string> Cases() => new(SnapshotInputs.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_the_committed_snapshot(string name)
    {
        var generated = GeneratorHarness.Generate(SnapshotInputs.All[name]);
        var directory = Path.Combine(SourceDirectory(), name);
        var accept = Environment.GetEnvironmentVariable("IOMMU_ACCEPT_SNAPSHOTS") == "1";
        if (accept)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            foreach (var source in generated)
            {
                File.WriteAllText(Path.Combine(directory, source.HintName), Normalize(source.SourceText.ToString()));
            }
        }

        var expectedFiles = Directory.Exists(directory)
            ? Directory.GetFiles(directory).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.Equal(expectedFiles, generated.Select(s => s.HintName).Order(StringComparer.Ordinal).ToList());
        foreach (var source in generated)
        {
            var expected = File.ReadAllText(Path.Combine(directory, source.HintName));
            Assert.Equal(expected, Normalize(source.SourceText.ToString()));
        }
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string SourceDirectory() => RepositoryPaths.Of("tests", "IommuContracts.Generators.Tests", "Snapshots");
}
