using System.Reflection;
using System.Text.RegularExpressions;

namespace IommuContracts.Cli.Findings;

/// <summary>
/// The one-line fix of each rule, read from its documentation page (docs/rules/ID.md, embedded in the tool): the
/// line that starts with "**Fix:**". It says what to do, and names the code fix when there is one. Markdown
/// emphasis and links are reduced to their text for terminals.
/// </summary>
internal static partial class RuleFixes
{
    private static readonly Lazy<Dictionary<string, string>> ByRule = new(Load);

    public static string? For(string ruleId) => ByRule.Value.TryGetValue(ruleId, out var fix) ? fix : null;

    private static Dictionary<string, string> Load()
    {
        var assembly = typeof(RuleFixes).Assembly;
        var fixes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("rules/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            {
                if (line.StartsWith("**Fix:**", StringComparison.Ordinal))
                {
                    fixes[Path.GetFileNameWithoutExtension(name["rules/".Length..])] = Plain(line["**Fix:**".Length..].Trim());
                    break;
                }
            }
        }

        return fixes;
    }

    private static string Plain(string markdown)
        => Link().Replace(markdown, "$1").Replace("**", string.Empty, StringComparison.Ordinal).Replace("*", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();
}
