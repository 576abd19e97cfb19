using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>--diff keeps only findings on lines changed in a git range, for review of one change.</summary>
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
        Assert.Contains("lines changed in HEAD~1..HEAD", changed.Stdout, StringComparison.Ordinal);
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
    public async Task Editing_the_line_of_a_finding_reports_it()
    {
        _repository.Write("Destroy.cs", Sources.NonPartialStruct.Replace("public struct Destroy", "internal struct Destroy", StringComparison.Ordinal));

        var run = await IommufdCheck.RunCheck(_repository.Path, "--diff", "HEAD", "--format", "markdown");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("`Destroy.cs:7:17`", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("only lines changed in `HEAD`", run.Stdout, StringComparison.Ordinal);
    }

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
