using System.Text;
using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Reporting;

/// <summary>
/// Aligned columns for a terminal or build log: rule, severity, file:line:column, message, and under each
/// finding the fix hint (the rule's documentation page, which says how to fix it).
/// </summary>
internal static class TableReport
{
    public static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        if (report.Findings.Count > 0)
        {
            var rows = report.Findings
                .Select(f => (Rule: f.RuleId, Severity: SeverityNames.Display(f.Severity), Location: Location(report, f), f.Message, Hint: FixHint(report, f)))
                .ToList();
            var ruleWidth = Math.Max("RULE".Length, rows.Max(r => r.Rule.Length));
            var severityWidth = Math.Max("SEVERITY".Length, rows.Max(r => r.Severity.Length));
            var locationWidth = Math.Max("LOCATION".Length, rows.Max(r => r.Location.Length));
            var indent = new string(' ', ruleWidth + severityWidth + locationWidth + 6);

            text.Append("RULE".PadRight(ruleWidth)).Append("  ")
                .Append("SEVERITY".PadRight(severityWidth)).Append("  ")
                .Append("LOCATION".PadRight(locationWidth)).Append("  ")
                .Append("MESSAGE").Append('\n');
            foreach (var row in rows)
            {
                text.Append(row.Rule.PadRight(ruleWidth)).Append("  ")
                    .Append(row.Severity.PadRight(severityWidth)).Append("  ")
                    .Append(row.Location.PadRight(locationWidth)).Append("  ")
                    .Append(row.Message).Append('\n');
                if (row.Hint is not null)
                {
                    text.Append(indent).Append("fix: ").Append(row.Hint).Append('\n');
                }
            }

            text.Append('\n');
        }
        else
        {
            text.Append("No findings.\n");
        }

        text.Append(SeverityNames.Counts(report.Findings.Select(f => f.Severity)))
            .Append(" in ").Append(report.InputDescription)
            .Append(" (").Append(report.SourceFileCount).Append(report.SourceFileCount == 1 ? " file" : " files").Append(", ")
            .Append(report.Rules.Count).Append(" rules");
        if (report.DiffRange is not null)
        {
            text.Append(", lines changed in ").Append(report.DiffRange);
        }

        text.Append(")\n");
        return text.ToString();
    }

    public static string Location(CheckReport report, Finding finding)
        => finding.FilePath is null ? "(no location)" : $"{report.DisplayPath(finding.FilePath)}:{finding.StartLine}:{finding.StartColumn}";

    private static string? FixHint(CheckReport report, Finding finding)
    {
        var rule = report.FindRule(finding.RuleId);
        if (rule is null)
        {
            return null;
        }

        return rule.HelpUri is null ? rule.Title : $"{rule.Title}; see {rule.HelpUri}";
    }
}
