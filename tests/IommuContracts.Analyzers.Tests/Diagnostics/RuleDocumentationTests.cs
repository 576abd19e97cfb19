using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using IommuContracts.Analyzers.Infrastructure;
using IommuContracts.Analyzers.Rules;
using IommuContracts.Analyzers.Tests.Support;
using IommuContracts.Contracts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.Diagnostics;

/// <summary>
/// Every IOMMU contract descriptor has a help page that exists (titled with its ID and title, with its category
/// and severity, a bad and a fixed example and a runtime twin section), a row in the contract table of
/// docs/rules/README.md and an entry in AnalyzerReleases.Unshipped.md; the README lists no rule that does not
/// exist; every rule ID in <see cref="RuleIds"/> is an analyzer rule or a documented runtime-only rule. Each
/// page's bad example is reported exactly on the lines it marks, and its fixed example is clean.
/// </summary>
public class RuleDocumentationTests
{
    private const string Prefix = "IOMMU";
    private const string ContractSection = "## Contract rules (IommuContracts.Analyzers)";
    private const string RuntimeOnlySection = "### Runtime-only rules";

    // The internal-error rule has no example: it reports an analyzer crash, which no example should cause.
    private const string InternalError = "IOMMU0000";

    private static readonly Regex RuleId = new(@"\bIOMMU\d{4}\b", RegexOptions.CultureInvariant);
    private static readonly Regex Marker = new(@"//.*?\b(IOMMU\d{4})\b", RegexOptions.CultureInvariant);

    public static TheoryData<string> ContractRuleIds() => new(DistinctIds());

    public static TheoryData<string> ExampleRuleIds() => new(DistinctIds().Where(id => id != InternalError));

    public static TheoryData<string> RuntimeOnlyRuleIds() => new(RuntimeOnlyRows().Select(r => r.Id));

    [Fact]
    public void The_analyzers_support_exactly_the_contract_descriptors_with_unique_ids()
    {
        var supported = AnalyzerDescriptors().ToList();
        Assert.NotEmpty(supported);
        Assert.All(supported, d => Assert.Matches(@"^IOMMU\d{4}$", d.Id));

        // One descriptor per ID, shared by every analyzer that reports it.
        Assert.All(supported.GroupBy(d => d.Id, StringComparer.Ordinal), group => Assert.Single(group.Distinct()));
        Assert.Equal(ContractDiagnostics.All.Length, ContractDiagnostics.All.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            ContractDiagnostics.All.Select(d => d.Id).Order(StringComparer.Ordinal),
            supported.Select(d => d.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ContractRuleIds))]
    public void Help_link_points_at_an_existing_rule_page(string id)
    {
        var descriptor = Descriptor(id);
        Assert.EndsWith("docs/rules/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.StartsWith("https://", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.True(File.Exists(PagePath(id)), "missing rule page " + PagePath(id));
    }

    [Theory]
    [MemberData(nameof(ContractRuleIds))]
    public void Rule_page_has_the_title_the_properties_and_the_sections(string id)
    {
        var descriptor = Descriptor(id);
        var lines = File.ReadAllLines(PagePath(id));

        Assert.Equal("# " + id + ": " + descriptor.Title.ToString(CultureInfo.InvariantCulture), lines[0]);

        // The first table of the page: | Category | Default severity | K-rule | Runtime twin |.
        var properties = TableRows(lines).First();
        Assert.Equal(descriptor.Category, properties[0]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), properties[1]);
        Assert.False(string.IsNullOrWhiteSpace(properties[2]), id + ": the K-rule cell is empty");
        Assert.False(string.IsNullOrWhiteSpace(properties[3]), id + ": the runtime twin cell is empty");

        Assert.False(string.IsNullOrWhiteSpace(Section(lines, "## Runtime twin", id)), id + ": the runtime twin section is empty");
        Assert.Contains(lines, line => line.StartsWith("## Configure", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("dotnet_diagnostic." + id + ".severity", StringComparison.Ordinal));
        if (id != InternalError)
        {
            Assert.Contains(lines, line => line.StartsWith("## Bad", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("## Fixed", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_definite_rule_page_and_its_some_path_page_link_each_other()
    {
        foreach (var (definite, maybe) in ContractDiagnostics.ByRule.Values.Where(p => p.Definite.Id != p.Maybe.Id))
        {
            Assert.Contains("(" + maybe.Id + ".md)", File.ReadAllText(PagePath(definite.Id)), StringComparison.Ordinal);
            Assert.Contains("(" + definite.Id + ".md)", File.ReadAllText(PagePath(maybe.Id)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_contract_table_lists_exactly_the_rules_of_the_analyzer_assembly()
    {
        var documented = ContractRows().Select(r => r.Id).ToList();
        var existing = AnalyzerDescriptors().Select(d => d.Id).Distinct(StringComparer.Ordinal).ToList();

        Assert.Equal(documented.Count, documented.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(existing.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ContractRuleIds))]
    public void Readme_row_links_the_page_and_matches_the_descriptor(string id)
    {
        var descriptor = Descriptor(id);
        var row = Assert.Single(ContractRows(), r => r.Id == id);

        Assert.Equal(6, row.Cells.Length);
        Assert.Equal("[" + id + "](" + id + ".md)", row.Cells[0]);
        Assert.Equal(descriptor.Title.ToString(CultureInfo.InvariantCulture), row.Cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Cells[2]);
        Assert.Equal(descriptor.Category, row.Cells[3]);
        Assert.False(string.IsNullOrWhiteSpace(row.Cells[4]), id + ": the K-rule cell is empty");
        Assert.False(string.IsNullOrWhiteSpace(row.Cells[5]), id + ": the runtime twin cell is empty");
    }

    [Theory]
    [MemberData(nameof(ContractRuleIds))]
    public void Rule_is_tracked_in_the_unshipped_release_file(string id)
    {
        var descriptor = Descriptor(id);
        var entry = ReleaseEntries().SingleOrDefault(cells => cells[0] == id);

        Assert.True(entry is not null, id + " is not listed in " + ReleaseFile());
        Assert.Equal(descriptor.Category, entry[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), entry[2]);
    }

    [Fact]
    public void The_release_file_tracks_no_rule_that_does_not_exist()
    {
        var existing = AnalyzerDescriptors().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(ReleaseEntries(), cells => Assert.Contains(cells[0], existing));
    }

    [Fact]
    public void Every_rule_id_is_an_analyzer_rule_or_a_documented_runtime_only_rule()
    {
        var declared = typeof(RuleIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var analyzed = AnalyzerDescriptors().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var runtimeOnly = RuntimeOnlyRows().Select(r => r.Id).ToList();

        Assert.NotEmpty(runtimeOnly);
        Assert.All(declared, id => Assert.True(analyzed.Contains(id) || runtimeOnly.Contains(id), id + " is neither reported by an analyzer nor listed as runtime-only"));
        Assert.All(runtimeOnly, id =>
        {
            Assert.Contains(id, declared);
            Assert.DoesNotContain(id, analyzed);
        });
    }

    [Theory]
    [MemberData(nameof(RuntimeOnlyRuleIds))]
    public void Runtime_only_rule_has_a_page_with_its_runtime_twin(string id)
    {
        var row = Assert.Single(RuntimeOnlyRows(), r => r.Id == id);
        Assert.StartsWith("[" + id + "](" + id + ".md)", row.Line, StringComparison.Ordinal);

        var lines = File.ReadAllLines(PagePath(id));
        Assert.StartsWith("# " + id + ": ", lines[0], StringComparison.Ordinal);
        Assert.Contains(nameof(ContractViolationException), Section(lines, "## Runtime twin", id), StringComparison.Ordinal);
        Assert.Contains(id, Section(lines, "## Runtime twin", id), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExampleRuleIds))]
    public async Task Bad_example_is_reported_on_the_marked_lines_and_fixed_example_is_clean(string id)
    {
        var lines = File.ReadAllLines(PagePath(id));
        var bad = Example(lines, "## Bad", id);
        var expected = bad.Select((line, index) => (Line: index, Match: Marker.Match(line)))
            .Where(m => m.Match.Success)
            .Select(m => (m.Line, Id: m.Match.Groups[1].Value))
            .ToList();
        Assert.Contains(expected, e => e.Id == id);
        Assert.Equal(expected.Order(), (await ContractDiagnosticsOf(bad, id + " bad")).Order());

        Assert.Empty(await ContractDiagnosticsOf(Example(lines, "## Fixed", id), id + " fixed"));
    }

    [Theory]
    [MemberData(nameof(RuntimeOnlyRuleIds))]
    public async Task Runtime_only_examples_compile_and_no_analyzer_reports_them(string id)
    {
        var lines = File.ReadAllLines(PagePath(id));
        Assert.Empty(await ContractDiagnosticsOf(Example(lines, "## Bad", id), id + " bad"));
        Assert.Empty(await ContractDiagnosticsOf(Example(lines, "## Fixed", id), id + " fixed"));
    }

    private static IEnumerable<string> DistinctIds()
        => AnalyzerDescriptors().Select(d => d.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static DiagnosticDescriptor Descriptor(string id)
        => AnalyzerDescriptors().First(d => d.Id == id);

    private static ImmutableArray<DiagnosticAnalyzer> Analyzers()
        => typeof(TypestateAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    // Every descriptor an analyzer of the assembly supports, and every descriptor ContractDiagnostics declares.
    private static IEnumerable<DiagnosticDescriptor> AnalyzerDescriptors()
        => Analyzers().SelectMany(a => a.SupportedDiagnostics).Concat(ContractDiagnostics.All)
            .Where(d => d.Id.StartsWith(Prefix, StringComparison.Ordinal));

    // The text between the heading and the next level-2 heading.
    private static string Section(string[] lines, string heading, string id)
    {
        var start = Array.FindIndex(lines, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, id + ": no " + heading + " section");
        return string.Join("\n", lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal)));
    }

    // The lines of the first C# block after the heading (```csharp, or ```csharp broken: wrong on purpose, held to
    // its markers by the docs snippet test; a runtime-only rule's bad example is plain, no analyzer reports it).
    private static string[] Example(string[] lines, string heading, string id)
    {
        var start = Array.FindIndex(lines, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, id + ": no " + heading + " section");
        var open = Array.FindIndex(lines, start, line => line.Trim() is "```csharp" or "```csharp broken");
        Assert.True(open > start, id + ": no csharp block under " + heading);
        Assert.DoesNotContain(lines[(start + 1)..open], line => line.StartsWith("## ", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, line => line.Trim() == "```");
        Assert.True(close > open, id + ": unterminated csharp block under " + heading);
        return lines[(open + 1)..close];
    }

    // Compiles the example after the usings every page assumes, runs every contract analyzer, and returns the
    // contract diagnostics as (line in the example, ID). Compiler errors and analyzer crashes fail the test.
    private static async Task<List<(int Line, string Id)>> ContractDiagnosticsOf(string[] example, string name)
    {
        var usings = SnippetUsings.Text;
        var offset = usings.Split('\n').Length - 1;
        var tree = CSharpSyntaxTree.ParseText(usings + string.Join("\n", example), new CSharpParseOptions(LanguageVersion.Latest), path: name + ".cs");
        var compilation = CSharpCompilation.Create(
            "Example",
            [tree],
            SnippetReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, name + " does not compile: " + string.Join("; ", errors));

        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(Analyzers(), options).GetAnalyzerDiagnosticsAsync();
        var crashes = diagnostics.Where(d => d.Id == "AD0001").ToList();
        Assert.True(crashes.Count == 0, name + ": an analyzer failed: " + string.Join("; ", crashes));

        return diagnostics.Where(d => d.Id.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(d => (d.Location.GetLineSpan().StartLinePosition.Line - offset, d.Id))
            .ToList();
    }

    // The rows (cells) of every markdown table in the lines, header and separator rows excluded.
    private static IEnumerable<string[]> TableRows(IEnumerable<string> lines)
    {
        string[]? previous = null;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith('|'))
            {
                previous = null;
                continue;
            }

            var cells = trimmed.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
            var isSeparator = cells.All(cell => cell.Length > 0 && cell.All(c => c is '-' or ':'));
            if (previous is not null && !isSeparator)
            {
                yield return cells;
            }

            previous = cells;
        }
    }

    // The lines of the contract section of docs/rules/README.md (up to the next level-2 heading).
    private static List<string> ContractSectionLines()
    {
        var lines = File.ReadAllLines(Path.Combine(RulesDirectory(), "README.md"));
        var start = Array.IndexOf(lines, ContractSection);
        Assert.True(start >= 0, "docs/rules/README.md has no section \"" + ContractSection + "\"");
        return lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }

    // The contract table's rows whose first cell names an IOMMU rule.
    private static List<(string Id, string[] Cells)> ContractRows()
        => TableRows(ContractSectionLines())
            .Select(cells => (Match: RuleId.Match(cells[0]), Cells: cells))
            .Where(row => row.Match.Success)
            .Select(row => (row.Match.Value, row.Cells))
            .ToList();

    // The bullets of the runtime-only list: "- [IOMMU0016](IOMMU0016.md): ...".
    private static List<(string Id, string Line)> RuntimeOnlyRows()
    {
        var section = ContractSectionLines();
        var start = section.IndexOf(RuntimeOnlySection);
        Assert.True(start >= 0, "the contract section has no \"" + RuntimeOnlySection + "\" list");
        return section.Skip(start + 1)
            .TakeWhile(line => !line.StartsWith('#'))
            .Where(line => line.StartsWith("- ", StringComparison.Ordinal))
            .Select(line => line[2..])
            .Select(line => (Match: RuleId.Match(line), Line: line))
            .Where(row => row.Match.Success)
            .Select(row => (row.Match.Value, row.Line))
            .ToList();
    }

    private static List<string[]> ReleaseEntries()
        => File.ReadAllLines(ReleaseFile())
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length >= 3 && RuleId.IsMatch(cells[0]))
            .ToList();

    private static string ReleaseFile()
        => Path.Combine(RepositoryPaths.Root, "analyzers", "IommuContracts.Analyzers", "AnalyzerReleases.Unshipped.md");

    private static string PagePath(string id) => Path.Combine(RulesDirectory(), id + ".md");

    private static string RulesDirectory() => Path.Combine(RepositoryPaths.Root, "docs", "rules");
}
