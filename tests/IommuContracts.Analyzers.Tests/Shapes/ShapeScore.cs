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

    /// <summary>One line for the list that goes to whoever works on the analysis: what was expected and what came instead.</summary>
    public string Explanation
    {
        get
        {
            if (Snippet.Label == ShapeLabel.Ok)
            {
                return string.Join("; ", Findings.Select(f => f.ToString()));
            }

            var missing = Snippet.Markers.Where(m => !Matched(m)).Select(m => m.ToString());
            var instead = Findings.Count == 0 ? "nothing reported" : "reported " + string.Join("; ", Findings.Select(f => $"{f.Rule} at line {f.Line}"));
            return $"expected {string.Join(", ", missing)}; {instead}";
        }
    }

    private bool Matched(ShapeMarker marker) => Findings.Any(f => f.Line == marker.Line && marker.Rules.Contains(f.Rule));
}
