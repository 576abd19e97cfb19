using System.Globalization;
using System.Text;

namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>Recall over the BUG snippets and false-positive rate over the OK snippets, overall and per class.</summary>
public sealed class ShapePrecision
{
    public ShapePrecision(IReadOnlyList<ShapeScore> scores) => Scores = scores;

    public IReadOnlyList<ShapeScore> Scores { get; }

    public int Bugs => Scores.Count(s => s.Snippet.Label == ShapeLabel.Bug);

    public int Found => Scores.Count(s => s.Found);

    public int Oks => Scores.Count(s => s.Snippet.Label == ShapeLabel.Ok);

    public int Noisy => Scores.Count(s => s.Noisy);

    /// <summary>Share of BUG snippets whose expected rules were reported on the expected lines.</summary>
    public double Recall => Bugs == 0 ? 1 : (double)Found / Bugs;

    /// <summary>Share of OK snippets with at least one contract diagnostic.</summary>
    public double FalsePositiveRate => Oks == 0 ? 0 : (double)Noisy / Oks;

    public IEnumerable<ShapeScore> Missed => Scores.Where(s => s.Snippet.Label == ShapeLabel.Bug && !s.Found);

    public IEnumerable<ShapeScore> NoisyOks => Scores.Where(s => s.Noisy);

    /// <summary>One sentence with the overall figures.</summary>
    public string Summary
        => string.Create(CultureInfo.InvariantCulture,
            $"{Scores.Count} snippets ({Oks} OK, {Bugs} BUG): recall {Percent(Recall)} ({Found} of {Bugs} bugs found), false positives on {Percent(FalsePositiveRate)} ({Noisy} of {Oks} correct snippets).");

    /// <summary>The report printed in the test output: the figures, the classes, and every miss and noisy OK with its reason.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.AppendLine("Realistic shapes: " + Summary);
        text.AppendLine();
        text.AppendLine(Table());
        text.AppendLine("Missed bugs:");
        foreach (var miss in Missed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {miss.Snippet.Id}: {miss.Explanation}");
        }

        text.AppendLine("Noisy correct snippets:");
        foreach (var noisy in NoisyOks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {noisy.Snippet.Id}: {noisy.Explanation}");
        }

        text.AppendLine("Bugs found with extra diagnostics:");
        foreach (var extra in Scores.Where(s => s.Found && s.Unexpected.Any()))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {extra.Snippet.Id}: {string.Join("; ", extra.Unexpected.Select(ShapeScore.Describe))}");
        }

        return text.ToString();
    }

    /// <summary>What docs/rules/README.md shows: the summary and the table.</summary>
    public string Markdown() => "Measured on " + Summary + "\n\n" + Table();

    /// <summary>The Markdown table: one row per class and a total.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        text.AppendLine("| Class | OK | False positives | BUG | Found | Recall |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var group in Scores.GroupBy(s => s.Snippet.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(Row(group.Key, new ShapePrecision(group.ToList())));
        }

        text.Append(Row("**All**", this));
        return text.ToString();
    }

    public static string Percent(double share) => share.ToString("0.0 %", CultureInfo.InvariantCulture);

    private static string Row(string name, ShapePrecision part)
        => string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {part.Oks} | {part.Noisy} ({(part.Oks == 0 ? "—" : Percent(part.FalsePositiveRate))}) | {part.Bugs} | {part.Found} | {(part.Bugs == 0 ? "—" : Percent(part.Recall))} |");
}
