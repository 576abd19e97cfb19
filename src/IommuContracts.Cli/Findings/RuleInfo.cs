using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Findings;

/// <summary>The metadata of one rule (a diagnostic descriptor), as reports and SARIF rule entries need it.</summary>
internal sealed record RuleInfo(
    string Id,
    string Title,
    string Description,
    string? HelpUri,
    string Category,
    DiagnosticSeverity DefaultSeverity,
    bool IsEnabledByDefault)
{
    public static RuleInfo From(DiagnosticDescriptor descriptor) => new(
        descriptor.Id,
        descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture),
        descriptor.Description.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string.IsNullOrEmpty(descriptor.HelpLinkUri) ? null : descriptor.HelpLinkUri,
        descriptor.Category,
        descriptor.DefaultSeverity,
        descriptor.IsEnabledByDefault);
}
