using System.ComponentModel;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Processes;

namespace IommuContracts.Cli.Diff;

/// <summary>Runs "git diff --unified=0 &lt;range&gt;" in the input's repository and returns the changed lines.</summary>
internal static class GitDiff
{
    public static ChangedLines Load(string inputDirectory, string range)
    {
        var root = Git(inputDirectory, ["rev-parse", "--show-toplevel"]).Trim();
        // Fixed prefixes and no external diff tools, whatever the user's git config says.
        var diff = Git(root, ["-c", "core.quotePath=false", "diff", "--unified=0", "--no-color", "--no-ext-diff", "--src-prefix=a/", "--dst-prefix=b/", range, "--"]);
        var ranges = UnifiedDiffParser.Parse(diff, root);
        return new ChangedLines(ranges.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<LineRange>)pair.Value, StringComparer.Ordinal));
    }

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
