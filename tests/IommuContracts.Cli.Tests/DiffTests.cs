using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// --diff keeps only findings in members a git range changed (a changed or deleted line inside them), for review of
/// one change, and marks each new or pre-existing by checking the base revision too.
/// </summary>
public sealed class DiffTests : IDisposable
{
    private readonly TempFolder _repository = new();

    public DiffTests()
    {
        _repository.Git("init", "-q");
        _repository.Write("Destroy.cs", Sources.NonPartialStruct);
        _repository.Git("add", ".");
        _repository.Git("commit", "-q", "-m", "existing code with an old finding");
    }

    public void Dispose() => _repository.Dispose();

    [Fact]
    public async Task Only_findings_on_changed_lines_are_reported()
    {
        _repository.Write("Query.cs", Sources.SecondNonPartialStruct);
        _repository.Git("add", ".");
        _repository.Git("commit", "-q", "-m", "new code with a new finding");

        var all = await IommufdCheck.RunCheck(_repository.Path);
        var changed = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD~1..HEAD");

        Assert.Contains("Destroy.cs:7:15", all.Stdout, StringComparison.Ordinal);
        Assert.Contains("Query.cs:7:15", all.Stdout, StringComparison.Ordinal);
        Assert.True(changed.ExitCode == 1, changed.ToString());
        Assert.Contains("Query.cs:7:15", changed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Destroy.cs", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains("members changed in HEAD~1..HEAD", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains("[new] 'Query' must be declared 'partial'", changed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_elsewhere_in_a_file_does_not_bring_in_its_old_findings()
    {
        // Working-tree change on line 1 only: the finding on line 7 was not touched.
        _repository.Write("Destroy.cs", "// reviewed\n" + Sources.NonPartialStruct.Split('\n', 2)[1]);

        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("No findings.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_the_line_of_a_finding_reports_it_as_pre_existing()
    {
        _repository.Write("Destroy.cs", Sources.NonPartialStruct.Replace("public struct Destroy", "internal struct Destroy", StringComparison.Ordinal));

        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD", "--format", "markdown");

        // Reported, but the base had it: the change did not bring it in, so it does not fail the run.
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("`Destroy.cs:7:17` | [pre-existing] 'Destroy' must be declared 'partial'", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("only members changed in `HEAD`", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("**0 new** in this change, 1 pre-existing", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_detach_reports_the_unbind_below_it_as_new()
    {
        // The bug is made by deleting lines: the unbind's own line is unchanged.
        _repository.Write("Nic.cs", NicDriver(withDetach: true));
        _repository.Git("add", ".");
        _repository.Git("commit", "-q", "-m", "a driver that detaches before unbinding");
        _repository.Write("Nic.cs", NicDriver(withDetach: false));
        _repository.Git("commit", "-q", "-am", "remove the detach");

        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD~1..HEAD", "--fail-on", "warning");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"IOMMU0054\s+warning\s+Nic\.cs:\d+:\d+\s+\[new\] 'idev' may still be attached", run.Stdout);
        Assert.Contains("1 new, 0 pre-existing", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Destroy.cs", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_finding_in_a_touched_member_is_marked_pre_existing_and_does_not_fail_the_run()
    {
        // The struct (the member of a declaration finding) gets a new field; its old IOMMUGEN001 was there before.
        _repository.Write("Destroy.cs", Sources.NonPartialStruct.Replace("[LastMandatory] public uint Id;", "[LastMandatory] public uint Id;\n    public uint Spare;", StringComparison.Ordinal));

        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD", "--format", "sarif");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var sarif = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var result = Assert.Single(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("IOMMUGEN001", result.GetProperty("ruleId").GetString());
        Assert.Equal("unchanged", result.GetProperty("baselineState").GetString());
    }

    // A remove path for a device that may or may not be attached; without the guarded detach the unbind is IOMMU0054.
    private static string NicDriver(bool withDetach)
        => "using IommuContracts;\nusing IommuContracts.Contracts;\nusing IommuContracts.Engine.Kapi;\n\nnamespace Review;\n\n"
            + "[DriverManagedDma]\npublic static class Nic\n{\n"
            + "    public static void Remove([RequiresState(\"Bound\", \"Attached\")] IommufdDevice idev)\n    {\n"
            + "        Console.WriteLine(\"removing\");\n"
            + (withDetach ? "        if (idev.IsAttached) Iommufd.DeviceDetach(idev);\n" : string.Empty)
            + "        Iommufd.DeviceUnbind(idev);\n    }\n}\n";

    [Fact]
    public async Task A_range_git_cannot_resolve_is_a_usage_error()
    {
        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "no-such-branch..HEAD");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--diff: git failed", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public async Task A_folder_outside_any_repository_is_a_usage_error()
    {
        using var plain = new TempFolder();
        plain.Write("Destroy.cs", Sources.NonPartialStruct);

        var run = await IommufdCheck.RunCheck(plain.Path, "--diff", "HEAD");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("not a git repository", run.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
