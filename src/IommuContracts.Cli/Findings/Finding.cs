using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Findings;

/// <summary>
/// One reported diagnostic, detached from Roslyn objects so reports and the diff filter need no compilation.
/// Lines and columns are 1-based; <see cref="FilePath"/> is absolute, or null for a finding with no source location.
/// </summary>
internal sealed record Finding(
    string RuleId,
    DiagnosticSeverity Severity,
    string Message,
    string? FilePath,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn)
{
    public static Finding From(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        // External files are additional files (e.g. a rule reading a config file): still a place to point at.
        if (diagnostic.Location.Kind is not (LocationKind.SourceFile or LocationKind.ExternalFile) || !span.IsValid)
        {
            return new Finding(diagnostic.Id, diagnostic.Severity, diagnostic.GetMessage(), null, 0, 0, 0, 0);
        }

        return new Finding(
            diagnostic.Id,
            diagnostic.Severity,
            diagnostic.GetMessage(),
            span.Path,
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            span.EndLinePosition.Line + 1,
            span.EndLinePosition.Character + 1);
    }
}
