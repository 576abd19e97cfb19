using System.Text.RegularExpressions;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>OK: the analyzers must stay silent; BUG: they must report the marked rule on the marked line.</summary>
public enum ShapeLabel
{
    Ok,
    Bug,
}

/// <summary>A rule expected on a line of the analysed text; any of <see cref="Rules"/> counts (an all-paths rule and its some-path twin where the shape leaves both open).</summary>
public sealed record ShapeMarker(int Line, IReadOnlyList<string> Rules)
{
    public override string ToString() => $"{string.Join("|", Rules)} at line {Line}";
}

/// <summary>
/// One realistic-shapes snippet: a file of Shapes/Snippets/&lt;class&gt;/, written the way drivers and VMMs are.
/// Its header says what it is (<c>// Shape:</c>, <c>// From:</c>), its label (<c>// Label: OK</c> or <c>BUG</c>)
/// and what it does on the engine (<c>// Runtime:</c>); a BUG marks each expected diagnostic with
/// <c>//~ IOMMUxxxx</c> at the end of its line. Below the line <c>// ---- scenario ----</c> comes the code that
/// drives it on the engine (a static class Scenario with <c>Errno Run(TwinLab lab)</c>): it is compiled for the
/// run only, so the analyzers see exactly what a user's project holds.
/// </summary>
public sealed partial record ShapeSnippet(
    string Class,
    string Name,
    string Description,
    string From,
    ShapeLabel Label,
    ShapeExpectation Runtime,
    string AnalysedSource,
    string ScenarioSource,
    IReadOnlyList<ShapeMarker> Markers,
    bool UsesLinuxBackend)
{
    public const string ScenarioSeparator = "// ---- scenario ----";

    /// <summary>The using directive a snippet of the real backend has; the run points it at the stand-in.</summary>
    public const string LinuxUsing = "using IommuContracts.Linux;";

    public string Id => Class + "/" + Name;

    /// <summary>Lines of the using directives put before the file's text: a line of the analysed text minus this is the file's line.</summary>
    public static int PrependedLines { get; } = SnippetUsings.Text.Count(c => c == '\n');

    public override string ToString() => Id;

    public static ShapeSnippet Parse(string @class, string name, string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var separator = text.IndexOf(ScenarioSeparator, StringComparison.Ordinal);
        var snippet = separator < 0 ? text : text[..separator];
        var scenario = separator < 0 ? "" : text[(separator + ScenarioSeparator.Length)..];
        var header = snippet.Split('\n').TakeWhile(line => line.StartsWith("//", StringComparison.Ordinal))
            .Select(line => HeaderLine().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);

        string Field(string key) => header.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"{@class}/{name}: the header has no '// {key}:' line");

        var label = Field("Label") switch
        {
            "OK" => ShapeLabel.Ok,
            "BUG" => ShapeLabel.Bug,
            var other => throw new FormatException($"{@class}/{name}: label '{other}' is neither OK nor BUG"),
        };

        var analysed = SnippetUsings.Text + snippet;
        var markers = analysed.Split('\n')
            .Select((line, index) => (Line: index + 1, Match: MarkerComment().Match(line)))
            .Where(m => m.Match.Success)
            .Select(m => new ShapeMarker(m.Line, m.Match.Groups[1].Value.Split('|')))
            .ToList();

        return new ShapeSnippet(@class, name, Field("Shape"), Field("From"), label, ShapeExpectation.Parse(Field("Runtime")),
            analysed, scenario, markers, snippet.Contains(LinuxUsing, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^//\s*(Shape|From|Label|Runtime):(.*)$")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"//~\s*(IOMMU\d{4}(?:\|IOMMU\d{4})*)")]
    private static partial Regex MarkerComment();
}
