using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Where one diagnostic asks for a fix, in the document as it is now: its ID, its span and the properties the
/// analyzer attached. Fix All moves the span along as earlier fixes edit the document.
/// </summary>
internal sealed record FixSite(string Id, TextSpan Span, ImmutableDictionary<string, string?> Properties)
{
    public static FixSite Of(Diagnostic diagnostic) => new(diagnostic.Id, diagnostic.Location.SourceSpan, diagnostic.Properties);

    public string? Property(string name) => Properties.TryGetValue(name, out var value) ? value : null;
}
