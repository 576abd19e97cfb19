using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Diff;

/// <summary>
/// What a diff changed, per file (absolute paths): the lines it adds or changes, and the places where it only
/// deleted lines. --diff keeps a finding when the member it belongs to contains one of either: deleting a detach
/// leaves the unbind below it wrong without touching its line.
/// </summary>
internal sealed class ChangedLines(IReadOnlyDictionary<string, FileChanges> byFile)
{
    public IReadOnlyDictionary<string, FileChanges> ByFile { get; } = byFile;

    /// <summary>
    /// True when a changed line, or a deletion, falls inside the finding's member (its own lines when it has no
    /// member); findings with no file are never in a diff.
    /// </summary>
    public bool Contains(Finding finding)
    {
        if (finding.FilePath is null || !ByFile.TryGetValue(Path.GetFullPath(finding.FilePath), out var changes))
        {
            return false;
        }

        var (start, end) = finding.Member is { } member
            ? (member.StartLine, member.EndLine)
            : (finding.StartLine, Math.Max(finding.StartLine, finding.EndLine));
        return changes.Changed.Any(range => range.Start <= end && start <= range.End)
            // Lines deleted after line d sat between d and d + 1: inside when both are the member's.
            || changes.DeletedAfter.Any(line => start <= line && line + 1 <= end);
    }
}

/// <summary>The changes to one file: ranges of added or changed lines, and the lines after which lines were only deleted.</summary>
internal sealed record FileChanges(IReadOnlyList<LineRange> Changed, IReadOnlyList<int> DeletedAfter);

/// <summary>An inclusive 1-based range of lines in the new version of a file.</summary>
internal readonly record struct LineRange(int Start, int End);
