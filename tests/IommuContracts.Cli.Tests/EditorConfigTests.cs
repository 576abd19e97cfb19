using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>Severities from .editorconfig / .globalconfig next to the input decide what is reported, and at what level.</summary>
public class EditorConfigTests
{
    [Fact]
    public async Task Severity_none_suppresses_the_rule()
    {
        using var folder = new TempFolder();
        folder.Write("Destroy.cs", Sources.NonPartialStruct);
        folder.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.IOMMUGEN001.severity = none\n");

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No findings.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Severity_warning_downgrades_the_rule_below_the_default_fail_on()
    {
        using var folder = new TempFolder();
        folder.Write("Destroy.cs", Sources.NonPartialStruct);
        folder.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.IOMMUGEN001.severity = warning\n");

        var byDefault = await IommufdCheck.RunCheck(folder.Path);
        var failOnWarning = await IommufdCheck.RunCheck(folder.Path, "--fail-on", "warning");

        Assert.True(byDefault.ExitCode == 0, byDefault.ToString());
        Assert.Matches(@"IOMMUGEN001\s+warning\s+Destroy\.cs:7:15", byDefault.Stdout);
        Assert.True(failOnWarning.ExitCode == 1, failOnWarning.ToString());
    }

    [Fact]
    public async Task A_section_applies_only_to_the_files_it_matches()
    {
        using var folder = new TempFolder();
        folder.Write("Legacy/Destroy.cs", Sources.NonPartialStruct);
        folder.Write("Query.cs", Sources.SecondNonPartialStruct);
        folder.Write(".editorconfig", "root = true\n\n[Legacy/**.cs]\ndotnet_diagnostic.IOMMUGEN001.severity = none\n");

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Query.cs:7:15", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Destroy.cs", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_globalconfig_in_the_input_folder_applies_to_every_file()
    {
        using var folder = new TempFolder();
        folder.Write("Destroy.cs", Sources.NonPartialStruct);
        folder.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.IOMMUGEN001.severity = suggestion\n");

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"IOMMUGEN001\s+info\s+Destroy\.cs:7:15", run.Stdout);
    }
}
