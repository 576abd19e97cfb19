using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// Usage errors exit 2; inputs that do not compile are analyzed over what binds, their errors listed, and exit 3
/// when nothing else fails the run; each with a message that says what is wrong.
/// </summary>
public class ErrorHandlingTests
{
    [Fact]
    public async Task A_missing_path_exits_2_and_names_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "iommufd-check-does-not-exist");

        var run = await IommufdCheck.RunCheck(missing);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"path not found: '{missing}'", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task An_unknown_option_exits_2_and_lists_the_valid_options()
    {
        var run = await IommufdCheck.RunCheck(RepositoryPaths.Sample("Passthrough"), "--formt", "sarif");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown option '--formt'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--format, -f, --output, -o, --diff, --fail-on", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format", "xml", "unknown format 'xml'")]
    [InlineData("--fail-on", "fatal", "unknown severity 'fatal'")]
    public async Task A_bad_option_value_exits_2(string option, string value, string message)
    {
        var run = await IommufdCheck.RunCheck(RepositoryPaths.Sample("Passthrough"), option, value);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_input_exits_2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await CheckCommand.RunAsync([], stdout, stderr, showProgress: false);

        Assert.Equal(2, exitCode);
        Assert.Contains("no input", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var run = await IommufdCheck.RunCheck("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: iommufd-check <path> [options]", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_file_exits_2()
    {
        using var folder = new TempFolder();
        var file = folder.Write("notes.txt", "not C#");

        var run = await IommufdCheck.RunCheck(file);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unsupported input", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_sources_exits_2()
    {
        using var folder = new TempFolder();

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("no .cs files", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_does_not_compile_is_still_analyzed_and_the_errors_are_listed()
    {
        // Like the IDE: the compile errors are reported, and the analyzers still run over what binds.
        using var folder = new TempFolder();
        folder.Write("Broken.cs", Sources.DoesNotCompile);
        folder.Write("Destroy.cs", Sources.NonPartialStruct);

        var run = await IommufdCheck.RunCheck(folder.Path, "--format", "sarif");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var sarif = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal("IOMMUGEN001", sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("ruleId").GetString());
        Assert.Contains("does not compile (2 compiler errors); the analyzers ran over what binds, so the findings may be incomplete", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Broken.cs:1:35: error CS0029", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error CS0103: The name 'Missing' does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compile_errors_without_findings_exit_3_and_the_report_says_it_may_be_incomplete()
    {
        using var folder = new TempFolder();
        folder.Write("Broken.cs", Sources.DoesNotCompile);
        folder.Write("Create.cs", Sources.PartialStruct);

        var run = await IommufdCheck.RunCheck(folder.Path);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("No findings.", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("The input has 2 compile errors (listed on stderr): the findings cover what binds and may be incomplete.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_that_does_not_compile_exits_3()
    {
        using var folder = new TempFolder();
        // TargetFrameworks (plural) also takes the path for multi-targeting projects, whose outer build has no Compile target.
        folder.Write("Broken.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net10.0</TargetFrameworks>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("Broken.cs", Sources.DoesNotCompile);

        var run = await IommufdCheck.RunCheck(Path.Combine(folder.Path, "Broken.csproj"));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("'Broken' does not compile (2 compiler errors)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Broken.cs:1:35: error CS0029", run.Stderr, StringComparison.Ordinal);
    }
}
