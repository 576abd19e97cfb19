using System.Text.RegularExpressions;
using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Diff;

/// <summary>
/// Marks findings new or pre-existing by comparing them with the findings of the base revision, by rule, member
/// and message. Line numbers inside messages ("leaves at line 42") are ignored, since edits above move them; a
/// finding that occurs twice in a member where the base had it once is new once.
/// </summary>
internal static partial class Baseline
{
    public static IReadOnlyList<Finding> Mark(IReadOnlyList<Finding> findings, IReadOnlyList<Finding> baseFindings)
    {
        var remaining = baseFindings.GroupBy(Key).ToDictionary(group => group.Key, group => group.Count());
        return findings.Select(finding =>
        {
            var key = Key(finding);
            if (remaining.TryGetValue(key, out var count) && count > 0)
            {
                remaining[key] = count - 1;
                return finding with { Status = FindingStatus.PreExisting };
            }

            return finding with { Status = FindingStatus.New };
        }).ToList();
    }

    private static (string Rule, string Member, string Message) Key(Finding finding)
        => (finding.RuleId, finding.Member?.Name ?? Path.GetFileName(finding.FilePath ?? string.Empty), LineNumber().Replace(finding.Message, "line #"));

    [GeneratedRegex(@"\bline \d+")]
    private static partial Regex LineNumber();
}
