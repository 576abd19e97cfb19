using IommuContracts.Cli.Analysis;
using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Tests;

/// <summary>Every rule the tool runs has a one-line fix (its page's "**Fix:**" line), which the fix: line shows.</summary>
public class RuleFixTests
{
    [Fact]
    public void Every_rule_of_the_shipped_analyzers_has_a_one_line_fix_that_is_not_its_title()
    {
        var catalog = AnalyzerCatalog.LoadShipped();

        Assert.NotEmpty(catalog.Descriptors);
        Assert.All(catalog.Descriptors, rule =>
        {
            var fix = RuleFixes.For(rule.Id);
            Assert.False(string.IsNullOrWhiteSpace(fix), $"{rule.Id} has no **Fix:** line in docs/rules/{rule.Id}.md");
            Assert.NotEqual(rule.Title.ToString(), fix);
        });
    }

    [Fact]
    public void Markdown_emphasis_and_links_are_reduced_to_text()
    {
        Assert.Equal(
            "Detach before unbinding: `Iommufd.DeviceDetach(idev);` then `Iommufd.DeviceUnbind(idev);` (code fix: Call DeviceDetach first).",
            RuleFixes.For("IOMMU0004"));
    }
}
