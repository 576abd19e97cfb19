using IommuContracts.Fuzz;

namespace IommuContracts.Engine.Tests.Fuzz;

/// <summary>
/// Every input of the coverage-guided fuzzer's seed corpus (fuzz/corpus) and every crash it ever found
/// (fuzz/regressions, one file per finding, named after what it found) runs clean through the same
/// <see cref="IoctlProgram"/> that AFL drives: a crash, once fixed, stays a regression test.
/// </summary>
public class FuzzCorpusTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "corpus", "regressions" })
        {
            foreach (var file in Directory.GetFiles(RepositoryPaths.Of("fuzz", folder)).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal))
            {
                data.Add(folder + "/" + Path.GetFileName(file));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Fuzz_input_runs_clean(string input) => IoctlProgram.Run(File.ReadAllBytes(RepositoryPaths.Of("fuzz", input)));

    [Fact]
    public void The_seed_corpus_is_there() => Assert.True(Inputs().Count >= 16, "fuzz/corpus lost its seeds");
}
