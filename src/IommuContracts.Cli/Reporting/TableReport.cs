using System.Text;
using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Reporting;

/// <summary>
/// Aligned columns for a terminal or build log: rule, severity, file:line:column, message (marked [new] or
/// [pre-existing] after a --diff compared with its base), and under each finding what to do: the rule page's
/// one-line fix and the page's address.
/// </summary>
internal static class TableReport
{
    public static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        if (report.Findings.Count > 0)
        {
            var rows = report.Findings
                .Select(f => (Rule: f.RuleId, Severity: SeverityNames.Display(f.Severity), Location: Location(report, f), Message: StatusPrefix(f) + f.Message, Hint: FixHint(report, f)))
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
            text.Append(", members changed in ").Append(report.DiffRange);
        }

        text.Append(")\n");
        if (report.ComparedWithBase)
        {
            var fresh = report.Findings.Count(f => f.Status == FindingStatus.New);
            text.Append(fresh).Append(" new, ").Append(report.Findings.Count - fresh).Append(" pre-existing (also reported by the base revision)\n");
        }

        if (report.CompileErrorCount > 0)
        {
            text.Append("The input has ").Append(report.CompileErrorCount).Append(report.CompileErrorCount == 1 ? " compile error" : " compile errors")
                .Append(" (listed on stderr): the findings cover what binds and may be incomplete.\n");
        }

        return text.ToString();
    }

    public static string Location(CheckReport report, Finding finding)
        => finding.FilePath is null ? "(no location)" : $"{report.DisplayPath(finding.FilePath)}:{finding.StartLine}:{finding.StartColumn}";

    public static string StatusPrefix(Finding finding) => finding.Status switch
    {
        FindingStatus.New => "[new] ",
        FindingStatus.PreExisting => "[pre-existing] ",
        _ => string.Empty,
    };

    // What to do (the rule page's one-line fix, which names the code fix when there is one), and where to read more.
    private static string? FixHint(CheckReport report, Finding finding)
    {
        var rule = report.FindRule(finding.RuleId);
        var fix = RuleFixes.For(finding.RuleId);
        if (rule is null && fix is null)
        {
            return null;
        }

        var what = fix ?? rule!.Title;
        return rule?.HelpUri is null ? what : $"{what} (see {rule.HelpUri})";
    }
}
