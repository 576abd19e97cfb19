using System.ComponentModel;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Processes;

namespace IommuContracts.Cli.Diff;

/// <summary>
/// Runs "git diff --unified=0 &lt;range&gt;" in the input's repository and returns what changed, and finds the base
/// revision of the range (what the findings are compared with).
/// </summary>
internal static class GitDiff
{
    public static ChangedLines Load(string inputDirectory, string range)
    {
        var root = RepositoryTop(inputDirectory);
        // Fixed prefixes and no external diff tools, whatever the user's git config says.
        var diff = Git(root, ["-c", "core.quotePath=false", "diff", "--unified=0", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", range, "--"]);
        return new ChangedLines(UnifiedDiffParser.Parse(diff, root));
    }

    /// <summary>The top folder of the git work tree the input is in.</summary>
    public static string RepositoryTop(string inputDirectory) => Path.GetFullPath(Git(inputDirectory, ["rev-parse", "--show-toplevel"]).Trim());

    /// <summary>
    /// The commit the diff compares with: the merge base for "a...b" (what the branch started from), "a" for "a..b",
    /// and the revision itself for a single one (the working tree is compared with it).
    /// </summary>
    public static string BaseCommit(string repositoryTop, string range)
    {
        var threeDots = range.IndexOf("...", StringComparison.Ordinal);
        if (threeDots >= 0)
        {
            var left = Side(range[..threeDots]);
            var right = Side(range[(threeDots + 3)..]);
            return Git(repositoryTop, ["merge-base", left, right]).Trim();
        }

        var twoDots = range.IndexOf("..", StringComparison.Ordinal);
        var revision = twoDots >= 0 ? Side(range[..twoDots]) : range;
        return Git(repositoryTop, ["rev-parse", "--verify", revision + "^{commit}"]).Trim();
    }

    /// <summary>Checks out <paramref name="commit"/> into a detached work tree of its own at <paramref name="path"/>.</summary>
    public static void AddWorktree(string repositoryTop, string path, string commit)
        => Git(repositoryTop, ["worktree", "add", "--detach", "--quiet", path, commit]);

    public static void RemoveWorktree(string repositoryTop, string path)
    {
        try
        {
            ProcessRunner.Run("git", ["worktree", "remove", "--force", path], repositoryTop);
            ProcessRunner.Run("git", ["worktree", "prune"], repositoryTop);
        }
        catch (Win32Exception)
        {
            // git was there a moment ago; a leftover work tree in the temp folder is harmless.
        }
    }

    // An empty side of a range means HEAD, as in git.
    private static string Side(string revision) => revision.Length == 0 ? "HEAD" : revision;

    private static string Git(string workingDirectory, IEnumerable<string> arguments)
    {
        ProcessOutput output;
        try
        {
            output = ProcessRunner.Run("git", arguments, workingDirectory);
        }
        catch (Win32Exception e)
        {
            throw new InputLoadException(ExitCodes.UsageError, $"--diff needs git on PATH ({e.Message})");
        }

        if (output.ExitCode != 0)
        {
            throw new InputLoadException(
                ExitCodes.UsageError,
                $"--diff: git failed in '{workingDirectory}': {output.StandardError.Trim()}");
        }

        return output.StandardOutput;
    }
}
