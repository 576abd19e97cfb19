using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>
/// Every IOMMUGEN descriptor has a help page that exists, a row in docs/rules/README.md and an entry in
/// AnalyzerReleases.Unshipped.md; and the README lists no rule that does not exist.
/// </summary>
public class RuleDocumentationTests
{
    private const string Prefix = "IOMMUGEN";

    private static readonly Regex RuleId = new(@"\bIOMMUGEN\d{3}\b", RegexOptions.CultureInvariant);

    public static TheoryData<string> DeclarationRuleIds()
        => new(new DeclarationAnalyzer().SupportedDiagnostics.Select(d => d.Id));

    [Fact]
    public void The_declaration_analyzer_supports_rules_with_unique_ids()
    {
        var ids = new DeclarationAnalyzer().SupportedDiagnostics.Select(d => d.Id).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches(@"^IOMMUGEN\d{3}$", id));
    }

    [Theory]
    [MemberData(nameof(DeclarationRuleIds))]
    public void Help_link_points_at_an_existing_rule_page(string id)
    {
        var descriptor = Descriptor(id);
        Assert.EndsWith("docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.StartsWith("https://", descriptor.HelpLinkUri, StringComparison.Ordinal);

        var page = Path.Combine(RepositoryPaths.Root, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), "missing rule page " + page);
    }

    [Theory]
    [MemberData(nameof(DeclarationRuleIds))]
    public void Rule_page_title_is_the_id_and_the_descriptor_title(string id)
    {
        var descriptor = Descriptor(id);
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "rules", id + ".md"));
        Assert.NotEmpty(lines);
        Assert.Equal("# " + id + ": " + descriptor.Title.ToString(CultureInfo.InvariantCulture), lines[0]);
        Assert.Contains(lines, line => line.StartsWith("## Bad", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("## Fixed", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("## Runtime twin", StringComparison.Ordinal));
    }

    [Fact]
    public void Readme_lists_exactly_the_rules_of_the_generator_assembly()
    {
        var documented = ReadmeRows().Select(r => r.Id).ToList();
        var existing = GeneratorAssemblyDescriptors().Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();

        Assert.Equal(documented.Count, documented.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(existing.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DeclarationRuleIds))]
    public void Readme_row_links_the_page_and_matches_the_descriptor(string id)
    {
        var descriptor = Descriptor(id);
        var row = Assert.Single(ReadmeRows(), r => r.Id == id);

        Assert.Equal("[" + id + "](" + id + ".md)", row.Cells[0]);
        Assert.Equal(descriptor.Title.ToString(CultureInfo.InvariantCulture), row.Cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Cells[2]);
        Assert.Equal(descriptor.Category, row.Cells[3]);
    }

    [Theory]
    [MemberData(nameof(DeclarationRuleIds))]
    public void Rule_is_tracked_in_the_unshipped_release_file(string id)
    {
        var descriptor = Descriptor(id);
        var path = Path.Combine(RepositoryPaths.Root, "generators", "IommuContracts.Generators", "AnalyzerReleases.Unshipped.md");
        var entry = File.ReadAllLines(path)
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .SingleOrDefault(cells => cells.Length >= 3 && cells[0] == id);

        Assert.True(entry is not null, id + " is not listed in " + path);
        Assert.Equal(descriptor.Category, entry[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), entry[2]);
    }

    private static DiagnosticDescriptor Descriptor(string id)
        => Assert.Single(new DeclarationAnalyzer().SupportedDiagnostics, d => d.Id == id);

    // Every analyzer the generator assembly ships, not only DeclarationAnalyzer.
    private static IEnumerable<DiagnosticDescriptor> GeneratorAssemblyDescriptors()
        => typeof(DeclarationAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Where(d => d.Id.StartsWith(Prefix, StringComparison.Ordinal));

    // The table rows of docs/rules/README.md whose first cell names an IOMMUGEN rule; other rule families are ignored.
    private static List<(string Id, string[] Cells)> ReadmeRows()
    {
        var rows = new List<(string, string[])>();
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "docs", "rules", "README.md")))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith('|'))
            {
                continue;
            }

            var cells = trimmed.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
            if (RuleId.Match(cells[0]) is { Success: true } match)
            {
                rows.Add((match.Value, cells));
            }
        }

        return rows;
    }
}
