using System;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Reads <c>csharp_prefer_braces</c> from the document's .editorconfig / global config. The bodies the fixes
/// generate are one line, so <c>true</c> (also Roslyn's default when it is not set) means braces and
/// <c>false</c> or <c>when_multiline</c> means none.
/// </summary>
internal static class BracePreference
{
    public static bool For(Document document, SyntaxTree tree)
    {
        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree);
        if (!options.TryGetValue("csharp_prefer_braces", out var value))
        {
            return true;
        }

        var setting = value.Split(':')[0].Trim();
        return !setting.Equals("false", StringComparison.OrdinalIgnoreCase) && !setting.Equals("when_multiline", StringComparison.OrdinalIgnoreCase);
    }
}
