using System.Reflection;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using IommuContracts.Analyzers.Infrastructure;
using IommuContracts.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.Samples;

/// <summary>
/// samples/BrokenDriver shows one instance of each contract rule: every line that ends in a "// IOMMUxxxx"
/// comment must get exactly that diagnostic, nothing else may be reported, and every rule the analyzers
/// can report (except the internal-error rule) must appear.
/// </summary>
public partial class BrokenDriverTests
{
    [Fact]
    public async Task Every_rule_is_reported_exactly_where_the_sample_says()
    {
        var directory = Path.Combine(RepositoryPaths.Root, "samples", "BrokenDriver");
        var files = Directory.GetFiles(directory, "*.cs");
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), f)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq;", new CSharpParseOptions(LanguageVersion.Latest)));
        var compilation = CSharpCompilation.Create("BrokenDriver", trees, SnippetReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var analyzers = AllAnalyzers();
        var reported = (await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id.StartsWith("IOMMU", StringComparison.Ordinal))
            .Select(d => (File: Path.GetFileName(d.Location.SourceTree!.FilePath), Line: d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id))
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
        var expected = files.SelectMany(f => File.ReadAllLines(f).Select((text, index) => (File: Path.GetFileName(f), Line: index + 1, Match: Marker().Match(text))))
            .Where(m => m.Match.Success)
            .Select(m => (m.File, m.Line, Id: m.Match.Groups[1].Value))
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();

        Assert.Equal(expected, reported);
        var everyRule = analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Where(id => id != ContractDiagnostics.InternalError.Id).ToHashSet();
        Assert.Equal(everyRule.Order(StringComparer.Ordinal), expected.Select(e => e.Id).Distinct().Order(StringComparer.Ordinal));
    }

    internal static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers()
        => typeof(ContractDiagnostics).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    [GeneratedRegex(@"//\s*(IOMMU\d{4})\s*$")]
    private static partial Regex Marker();
}
