namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>The realistic-shapes catalog is what it claims to be: large enough, balanced, every runtime-checkable rule among its bugs, labels consistent with the runtime outcomes.</summary>
public class ShapeCatalogTests
{
    // Every rule with a runtime twin (or, for IOMMU0104, a command the engine dispatches), all-paths and some-path forms.
    private static readonly string[] RulesWithBugs =
    [
        "IOMMU0001", "IOMMU0002", "IOMMU0003", "IOMMU0004", "IOMMU0005", "IOMMU0006", "IOMMU0007", "IOMMU0008",
        "IOMMU0009", "IOMMU0010", "IOMMU0013", "IOMMU0014", "IOMMU0017", "IOMMU0101", "IOMMU0103", "IOMMU0104", "IOMMU0105",
        "IOMMU0051", "IOMMU0052", "IOMMU0054", "IOMMU0055", "IOMMU0056", "IOMMU0057", "IOMMU0058", "IOMMU0063", "IOMMU0151",
    ];

    public static TheoryData<string> Snippets() => ShapeCatalog.Ids();

    [Fact]
    public void There_are_at_least_170_snippets_about_three_in_five_of_them_correct()
    {
        var all = ShapeCatalog.All;
        Assert.True(all.Count >= 170, $"{all.Count} snippets");
        var okShare = (double)all.Count(s => s.Label == ShapeLabel.Ok) / all.Count;
        Assert.InRange(okShare, 0.5, 0.7);
        Assert.Equal(all.Count, all.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_runtime_checkable_rule_has_bugs_among_the_snippets()
    {
        var marked = ShapeCatalog.All.Where(s => s.Label == ShapeLabel.Bug).SelectMany(s => s.Markers).SelectMany(m => m.Rules).ToHashSet(StringComparer.Ordinal);
        Assert.All(RulesWithBugs, rule => Assert.Contains(rule, marked));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_label_the_markers_and_the_runtime_outcome_agree(string id)
    {
        var snippet = ShapeCatalog.Get(id);
        Assert.False(string.IsNullOrWhiteSpace(snippet.ScenarioSource), "no scenario");
        var lines = snippet.AnalysedSource.Split('\n');
        if (snippet.Label == ShapeLabel.Ok)
        {
            Assert.Empty(snippet.Markers);
            Assert.Equal(ShapeOutcome.Clean, snippet.Runtime.Outcome);
            return;
        }

        Assert.NotEmpty(snippet.Markers);
        Assert.NotEqual(ShapeOutcome.Clean, snippet.Runtime.Outcome);
        Assert.All(snippet.Markers, m => Assert.All(m.Rules, r => Assert.Matches(@"^IOMMU0\d{3}$", r)));

        // A marker sits on a line of code, not on a comment of its own.
        Assert.All(snippet.Markers, m => Assert.False(lines[m.Line - 1].TrimStart().StartsWith("//", StringComparison.Ordinal), $"line {m.Line - ShapeSnippet.PrependedLines}"));

        // A violation names one of the marked rules (for a some-path rule, the all-paths rule whose twin it shares).
        if (snippet.Runtime.Outcome == ShapeOutcome.Violation)
        {
            var rules = snippet.Markers.SelectMany(m => m.Rules).Select(AllPathsForm);
            Assert.Contains(snippet.Runtime.Argument, rules);
        }
    }

    // IOMMU0051..0063 and 0151 are the some-path forms of the rule 50 below; their runtime twin is that rule's.
    private static string AllPathsForm(string rule)
    {
        var number = int.Parse(rule.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
        return number is >= 51 and <= 63 or 151 ? $"IOMMU{number - 50:0000}" : rule;
    }
}
