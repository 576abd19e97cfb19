using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Findings;

/// <summary>
/// One reported diagnostic, detached from Roslyn objects so reports and the diff filter need no compilation.
/// Lines and columns are 1-based; <see cref="FilePath"/> is absolute, or null for a finding with no source location.
/// <see cref="Member"/> is where the finding lives for review purposes (see <see cref="FindingMember"/>), and
/// <see cref="Status"/> says, after a comparison with the base revision of a --diff, whether it is new.
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
    public FindingMember? Member { get; init; }

    public FindingStatus Status { get; init; }

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

/// <summary>
/// The member a finding belongs to: the method, constructor, accessor, property or operator around it, or the
/// type for a finding on a field or the type itself. <see cref="Name"/> identifies it across revisions
/// (containing types and parameter types, no line numbers); the lines are its extent in this revision.
/// </summary>
internal sealed record FindingMember(string Name, int StartLine, int EndLine);

/// <summary>Whether the base revision of a --diff already had the finding.</summary>
internal enum FindingStatus
{
    /// <summary>No comparison was made (no --diff, or the base revision could not be checked).</summary>
    Unknown,

    /// <summary>The base revision has no finding of this rule, member and message.</summary>
    New,

    /// <summary>The base revision has the same finding: the change touched its member but did not cause it.</summary>
    PreExisting,
}
