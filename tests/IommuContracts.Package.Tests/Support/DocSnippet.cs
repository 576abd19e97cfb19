using System.Text.RegularExpressions;

namespace IommuContracts.Package.Tests.Support;

/// <summary>
/// One fenced C# block of the documentation: ```csharp (must compile and pass the analyzers as shown) or
/// ```csharp broken (wrong on purpose: it reports exactly the diagnostics its comments name, "// IOMMU0004" or
/// "// CS0111", on those lines; a compiler error in generated code counts when a comment of the block names it). A rule page's blocks are compiled after the using directives docs/rules/README.md states for
/// them; every other block stands alone.
/// </summary>
public sealed partial record DocSnippet(string File, int Line, bool Broken, string Code, string Preamble)
{
    public override string ToString() => $"{File}:{Line}{(Broken ? " (broken)" : string.Empty)}";

    /// <summary>
    /// The markers "// IOMMU0004" (any text around it in the comment; "IOMMUGEN017 ×4" for four on one line) as
    /// (line in <see cref="Code"/>, ID).
    /// </summary>
    public IReadOnlyList<(int Line, string Id)> Markers()
        => Code.Split('\n')
            .SelectMany((text, index) => Marker().Matches(text.Contains("//", StringComparison.Ordinal) ? text[text.IndexOf("//", StringComparison.Ordinal)..] : string.Empty)
                .SelectMany(m => Enumerable.Repeat(
                    (Line: index, Id: m.Groups["id"].Value),
                    m.Groups["count"].Success ? int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1)))
            .ToList();

    /// <summary>Every C# block of README.md, src/IommuContracts/PACKAGE.md and docs/**.md.</summary>
    public static IReadOnlyList<DocSnippet> All()
    {
        var files = new[] { RepositoryPaths.Of("README.md"), RepositoryPaths.Of("src", "IommuContracts", "PACKAGE.md") }
            .Concat(Directory.GetFiles(RepositoryPaths.Of("docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var rulesPreamble = Blocks(RepositoryPaths.Of("docs", "rules", "README.md")).First(b => !b.Broken).Code;
        return files.SelectMany(file =>
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/');
            var isRulePage = relative.StartsWith("docs/rules/", StringComparison.Ordinal) && !relative.EndsWith("README.md", StringComparison.Ordinal);
            return Blocks(file).Select(block => block with { File = relative, Preamble = isRulePage ? rulesPreamble : string.Empty });
        }).ToList();
    }

    private static IEnumerable<DocSnippet> Blocks(string file)
    {
        var lines = System.IO.File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (fence is not ("```csharp" or "```csharp broken"))
            {
                continue;
            }

            // A block inside a list item is indented like its fence: the code starts at the fence's column.
            var indent = lines[i].Length - fence.Length;
            var end = Array.FindIndex(lines, i + 1, line => line.Trim() == "```");
            if (end < 0)
            {
                throw new InvalidOperationException($"{file}:{i + 1}: unterminated ```csharp block");
            }

            var code = string.Join('\n', lines[(i + 1)..end].Select(line => line.Length >= indent && string.IsNullOrWhiteSpace(line[..indent]) ? line[indent..] : line.TrimStart()));
            yield return new DocSnippet(file, i + 2, fence.EndsWith("broken", StringComparison.Ordinal), code, string.Empty);
            i = end;
        }
    }

    [GeneratedRegex(@"\b(?<id>IOMMU(?:GEN)?\d{3,4}|CS\d{4})\b(?:\s*×(?<count>\d+))?")]
    private static partial Regex Marker();
}
