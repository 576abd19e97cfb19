using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.CommandLine;

/// <summary>The lowest severity that makes the run fail (--fail-on).</summary>
internal enum SeverityThreshold
{
    /// <summary>Never fail because of findings.</summary>
    None,
    Info,
    Warning,
    Error,
}

internal static class SeverityThresholdExtensions
{
    public static bool IsReachedBy(this SeverityThreshold threshold, DiagnosticSeverity severity) => threshold switch
    {
        SeverityThreshold.None => false,
        SeverityThreshold.Info => severity >= DiagnosticSeverity.Info,
        SeverityThreshold.Warning => severity >= DiagnosticSeverity.Warning,
        _ => severity >= DiagnosticSeverity.Error,
    };
}
