using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Diff;

/// <summary>The lines a diff adds or changes, per file (absolute paths); what --diff keeps findings on.</summary>
internal sealed class ChangedLines(IReadOnlyDictionary<string, IReadOnlyList<LineRange>> rangesByFile)
{
    public IReadOnlyDictionary<string, IReadOnlyList<LineRange>> RangesByFile { get; } = rangesByFile;

    /// <summary>True when the finding's lines overlap a changed line; findings with no file are never in a diff.</summary>
    public bool Contains(Finding finding)
    {
        if (finding.FilePath is null || !RangesByFile.TryGetValue(Path.GetFullPath(finding.FilePath), out var ranges))
        {
            return false;
        }

        var end = Math.Max(finding.StartLine, finding.EndLine);
        return ranges.Any(range => range.Start <= end && finding.StartLine <= range.End);
    }
}

/// <summary>An inclusive 1-based range of lines in the new version of a file.</summary>
internal readonly record struct LineRange(int Start, int End);
