namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>What the analyzers reported for one snippet, judged against its label.</summary>
public sealed record ShapeScore(ShapeSnippet Snippet, IReadOnlyList<ShapeFinding> Findings)
{
    /// <summary>A BUG whose every marker got one of its rules on its line.</summary>
    public bool Found => Snippet.Label == ShapeLabel.Bug && Snippet.Markers.All(Matched);

    /// <summary>An OK snippet with any contract diagnostic (errors, warnings and infos alike: all of them are noise on correct code).</summary>
    public bool Noisy => Snippet.Label == ShapeLabel.Ok && Findings.Count != 0;

    /// <summary>Diagnostics of a BUG snippet that no marker asked for.</summary>
    public IEnumerable<ShapeFinding> Unexpected => Findings.Where(f => !Snippet.Markers.Any(m => m.Line == f.Line && m.Rules.Contains(f.Rule)));

    /// <summary>One line for the list that goes to whoever works on the analysis: what was expected and what came instead (lines of the snippet file).</summary>
    public string Explanation
    {
        get
        {
            if (Snippet.Label == ShapeLabel.Ok)
            {
                return string.Join("; ", Findings.Select(Describe));
            }

            var missing = Snippet.Markers.Where(m => !Matched(m)).Select(m => $"{string.Join("|", m.Rules)} at line {FileLine(m.Line)}");
            var instead = Findings.Count == 0 ? "nothing reported" : "reported " + string.Join("; ", Findings.Select(f => $"{f.Rule} at line {FileLine(f.Line)}"));
            return $"expected {string.Join(", ", missing)}; {instead}";
        }
    }

    /// <summary>A finding as the report prints it, at its line of the snippet file.</summary>
    public static string Describe(ShapeFinding finding) => $"{finding.Rule} at line {FileLine(finding.Line)}: {finding.Message}";

    private static int FileLine(int analysedLine) => analysedLine - ShapeSnippet.PrependedLines;

    private bool Matched(ShapeMarker marker) => Findings.Any(f => f.Line == marker.Line && marker.Rules.Contains(f.Rule));
}
