using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Reporting;

/// <summary>How severities are spelled in the table and markdown reports and in SARIF.</summary>
internal static class SeverityNames
{
    public static string Display(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };

    public static string SarifLevel(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "note",
        _ => "none",
    };

    /// <summary>"2 errors, 1 warning, 0 info".</summary>
    public static string Counts(IEnumerable<DiagnosticSeverity> severities)
    {
        var list = severities.ToList();
        var errors = list.Count(s => s == DiagnosticSeverity.Error);
        var warnings = list.Count(s => s == DiagnosticSeverity.Warning);
        var infos = list.Count(s => s == DiagnosticSeverity.Info);
        return $"{errors} {(errors == 1 ? "error" : "errors")}, {warnings} {(warnings == 1 ? "warning" : "warnings")}, {infos} info";
    }
}
