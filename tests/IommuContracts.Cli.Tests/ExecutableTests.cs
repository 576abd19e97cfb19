using System.Text.Json;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>The built executable, as CI runs it: the exit code is the process's, and stdout holds only the report.</summary>
public class ExecutableTests
{
    [Fact]
    public async Task Sarif_on_stdout_stays_parseable_while_verbose_progress_goes_to_stderr()
    {
        using var folder = new TempFolder();
        folder.Write("Destroy.cs", Sources.NonPartialStruct);

        var run = await IommufdCheck.RunCheckExecutable(folder.Path, "--format", "sarif", "--verbose");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var sarif = JsonDocument.Parse(run.Stdout);
        Assert.Equal("IOMMUGEN001", sarif.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("ruleId").GetString());
        Assert.Contains("running 1 source generator(s)", run.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"running \d+ analyzer\(s\)", run.Stderr);
    }

    [Fact]
    public async Task Progress_is_quiet_when_stderr_is_redirected_and_not_verbose()
    {
        using var folder = new TempFolder();
        folder.Write("Create.cs", Sources.PartialStruct);

        var run = await IommufdCheck.RunCheckExecutable(folder.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(string.Empty, run.Stderr);
    }
}
