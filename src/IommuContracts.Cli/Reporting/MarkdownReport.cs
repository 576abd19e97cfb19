using System.Text;
using IommuContracts.Cli.Findings;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Reporting;

/// <summary>A pull-request comment: a headline with the counts, a count per severity, and a table of findings.</summary>
internal static class MarkdownReport
{
    public static string Render(CheckReport report)
    {
        var text = new StringBuilder();
        var counts = SeverityNames.Counts(report.Findings.Select(f => f.Severity));
        text.Append("### iommufd-check: ").Append(report.Findings.Count == 0 ? "no findings" : counts).Append("\n\n");
        text.Append("Checked ").Append(Code(report.InputDescription))
            .Append(" (").Append(report.SourceFileCount).Append(report.SourceFileCount == 1 ? " file" : " files")
            .Append(", ").Append(report.Rules.Count).Append(" rules)");
        if (report.DiffRange is not null)
        {
            text.Append(", only members changed in ").Append(Code(report.DiffRange));
        }

        text.Append(".\n\n");
        if (report.CompileErrorCount > 0)
        {
            text.Append("> **The input has ").Append(report.CompileErrorCount).Append(report.CompileErrorCount == 1 ? " compile error" : " compile errors")
                .Append("**: the findings cover what binds and may be incomplete.\n\n");
        }

        if (report.ComparedWithBase)
        {
            var fresh = report.Findings.Count(f => f.Status == FindingStatus.New);
            text.Append("**").Append(fresh).Append(" new** in this change, ").Append(report.Findings.Count - fresh)
                .Append(" pre-existing in the members it touches.\n\n");
        }
        text.Append("| Severity | Findings |\n| --- | ---: |\n");
        foreach (var severity in new[] { DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Info })
        {
            text.Append("| ").Append(SeverityNames.Display(severity)).Append(" | ")
                .Append(report.Findings.Count(f => f.Severity == severity)).Append(" |\n");
        }

        if (report.Findings.Count == 0)
        {
            return text.ToString();
        }

        text.Append("\n| Rule | Severity | Location | Message | Fix |\n| --- | --- | --- | --- | --- |\n");
        foreach (var finding in report.Findings)
        {
            var rule = report.FindRule(finding.RuleId);
            var ruleCell = rule?.HelpUri is { } help ? $"[{finding.RuleId}]({help})" : finding.RuleId;
            text.Append("| ").Append(ruleCell)
                .Append(" | ").Append(SeverityNames.Display(finding.Severity))
                .Append(" | ").Append(Code(TableReport.Location(report, finding)))
                .Append(" | ").Append(Escape(TableReport.StatusPrefix(finding) + finding.Message))
                .Append(" | ").Append(Escape(RuleFixes.For(finding.RuleId) ?? string.Empty))
                .Append(" |\n");
        }

        return text.ToString();
    }

    private static string Code(string value) => $"`{value.Replace("`", "'", StringComparison.Ordinal)}`";

    // Table cells end at '|' and at a newline.
    private static string Escape(string value) => value
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("\r", string.Empty, StringComparison.Ordinal)
        .Replace("\n", "<br>", StringComparison.Ordinal);
}
