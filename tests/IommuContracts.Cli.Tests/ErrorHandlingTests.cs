using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>Usage errors exit 2, inputs that do not compile exit 3, each with a message that says what is wrong.</summary>
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
    public async Task A_folder_that_does_not_compile_exits_3_with_the_first_errors_and_their_locations()
    {
        using var folder = new TempFolder();
        folder.Write("Broken.cs", Sources.DoesNotCompile);
        folder.Write("Destroy.cs", Sources.NonPartialStruct);

        var run = await IommufdCheck.RunCheck(folder.Path, "--format", "sarif");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("does not compile (2 compiler errors)", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Broken.cs:1:35: error CS0029", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("error CS0103: The name 'Missing' does not exist", run.Stderr, StringComparison.Ordinal);
        // No half-report on stdout: a CI step that uploads SARIF must not upload findings of code that does not build.
        Assert.Equal(string.Empty, run.Stdout);
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
        Assert.Contains("'Broken' does not compile", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Broken.cs:1:35: error CS0029", run.Stderr, StringComparison.Ordinal);
    }
}
