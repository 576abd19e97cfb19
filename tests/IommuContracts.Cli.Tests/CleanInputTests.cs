using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// The Passthrough sample is analyzer-clean as a project (design-time build; its references IommuContracts and
/// IommuContracts.Engine compiled from their own command lines), and loose files of a folder without a project are.
/// </summary>
public class CleanInputTests
{

    [Fact]
    public async Task Passthrough_project_compiles_through_msbuild_and_has_no_error_findings()
    {
        var project = Path.Combine(RepositoryPaths.Sample("Passthrough"), "Passthrough.csproj");

        var run = await IommufdCheck.RunCheck(project, "--configuration", IommufdCheck.BuildConfiguration, "--format", "markdown");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("| error | 0 |", run.Stdout, StringComparison.Ordinal);
        // The project's own files plus the SDK's generated AssemblyInfo / GlobalUsings: proof the real command line was used.
        var files = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Stdout, @"\((\d+) files").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(files > Directory.GetFiles(RepositoryPaths.Sample("Passthrough"), "*.cs").Length, run.ToString());
    }

    [Fact]
    public async Task A_well_formed_declaration_has_no_findings()
    {
        using var folder = new TempFolder();
        folder.Write("Create.cs", Sources.PartialStruct);

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No findings.", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stderr);
    }
}
