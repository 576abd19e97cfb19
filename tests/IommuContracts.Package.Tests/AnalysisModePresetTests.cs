using System.IO.Compression;
using System.Text.RegularExpressions;
using IommuContracts.Package.Tests.Support;

namespace IommuContracts.Package.Tests;

/// <summary>
/// The preset files name exactly the rules the packaged analyzers report, each at the preset's severity, in the text
/// <see cref="AnalysisModePresets.Render"/> gives. After adding or removing a rule:
/// IOMMU_ACCEPT_PRESETS=1 dotnet test tests/IommuContracts.Package.Tests rewrites them (review the diff).
/// </summary>
[Collection(PackageCollection.Name)]
public partial class AnalysisModePresetTests(PackageFixture package)
{
    public static TheoryData<string> Modes => new(AnalysisModePresets.Files.Select(f => f.Mode));

    [Fact]
    public void The_packaged_analyzers_report_the_IOMMU_and_IOMMUGEN_rules()
    {
        var ids = package.Rules.Select(r => r.Id).ToList();

        Assert.All(ids, id => Assert.Matches(RuleId(), id));
        Assert.Contains("IOMMU0004", ids);
        Assert.Contains("IOMMUGEN001", ids);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_preset_sets_every_packaged_rule_to_its_severity_and_nothing_else(string mode)
    {
        var (_, severity, description) = AnalysisModePresets.Files.Single(f => f.Mode == mode);
        var ids = package.Rules.Select(r => r.Id).ToList();
        var expected = AnalysisModePresets.Render(mode, severity, description, ids);
        var repositoryFile = AnalysisModePresets.RepositoryFile(mode);
        if (Environment.GetEnvironmentVariable("IOMMU_ACCEPT_PRESETS") == "1")
        {
            File.WriteAllText(repositoryFile, expected);
            return;
        }

        var actual = File.ReadAllText(repositoryFile);
        var severities = AnalysisModePresets.ParseSeverities(actual);
        Assert.Equal(ids, severities.Keys.Order(StringComparer.Ordinal));
        Assert.All(severities, entry => Assert.Equal(AnalysisModePresets.SeverityFor(severity, entry.Key), entry.Value));
        Assert.Equal(expected, actual);
        Assert.Equal(expected, PackagedText(AnalysisModePresets.PackagePath(mode)));
    }

    private string PackagedText(string entryName)
    {
        using var zip = ZipFile.OpenRead(package.RuntimePackage);
        using var reader = new StreamReader(zip.GetEntry(entryName)!.Open());
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^IOMMU(\d{4}|GEN\d{3})$")]
    private static partial Regex RuleId();
}
