using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using IommuContracts.Package.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Package.Tests;

/// <summary>
/// Every C# snippet of the README, the package readme and docs/ compiles as shown, as a user pastes it into a new
/// net10.0 project (implicit usings, nullable on) that references the packed packages, with the package's generator
/// and analyzers running: a plain block has no error, no warning and no finding; a block fenced ```csharp broken
/// reports exactly the rules its comments name, on those lines.
/// </summary>
[Collection(PackageCollection.Name)]
public class DocsSnippetTests(PackageFixture package)
{
    // What Microsoft.NET.Sdk adds with ImplicitUsings=enable.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static TheoryData<string> Snippets => new(DocSnippet.All().Select(s => s.ToString()));

    [Fact]
    public void The_documentation_has_snippets_of_both_kinds()
    {
        var all = DocSnippet.All();
        Assert.Contains(all, s => s.File == "README.md" && !s.Broken);
        Assert.Contains(all, s => s.File == "README.md" && s.Broken);
        Assert.All(all.Where(s => s.Broken), s => Assert.NotEmpty(s.Markers()));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task Compiles_as_shown_against_the_packages_and_reports_exactly_what_it_marks(string name)
    {
        var snippet = DocSnippet.All().Single(s => s.ToString() == name);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var preambleLines = snippet.Preamble.Length == 0 ? 0 : snippet.Preamble.Split('\n').Length;
        var source = snippet.Preamble.Length == 0 ? snippet.Code : snippet.Preamble + "\n" + snippet.Code;
        var tree = CSharpSyntaxTree.ParseText(source, parse, path: "/snippet/Snippet.cs");
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "/snippet/obj/GlobalUsings.g.cs");
        var topLevel = ((CompilationUnitSyntax)tree.GetRoot()).Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [tree, usings],
            Net100.References.All.Concat(package.LibraryAssemblies.Select(path => MetadataReference.CreateFromFile(path))),
            new CSharpCompilationOptions(topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the SDK does (NoWarn 1701;1702): net8.0 libraries referenced from a net10.0 project unify their framework references.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

        var (analyzers, generators) = PackagedRules.Instantiate(package.AnalyzersDirectory);
        CSharpGeneratorDriver.Create(generators.ToArray()).RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorErrors);
        Assert.Empty(generatorErrors);

        var compiler = generated.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.Id.StartsWith("IOMMU", StringComparison.Ordinal)).ToList();
        var findings = (await generated.WithAnalyzers(analyzers.ToImmutableArray()).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .ToList();
        Assert.DoesNotContain(findings, d => d.Id == "AD0001");

        var markers = snippet.Broken ? snippet.Markers() : [];
        var claimed = markers.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var elsewhere = compiler.Where(d => d.Location.SourceTree != tree && !claimed.Contains(d.Id)).ToList();
        Assert.True(elsewhere.Count == 0, $"{name} does not compile cleanly as shown:\n{string.Join('\n', elsewhere)}\n{source}");
        var reported = findings.Concat(compiler)
            .Where(d => d.Location.SourceTree == tree)
            .Select(d => (Line: d.Location.GetLineSpan().StartLinePosition.Line - preambleLines, d.Id))
            .Order()
            .ToList();
        // A comment naming an error in generated code claims that error, not one on its own line.
        var generatedIds = compiler.Where(d => d.Location.SourceTree != tree).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var expected = markers.Where(m => !generatedIds.Contains(m.Id)).Order().ToList();
        Assert.True(
            expected.SequenceEqual(reported),
            $"{name}: expected {Describe(expected)}, reported {Describe(reported)}:\n{string.Join('\n', findings.Concat(compiler))}\n{source}");
    }

    private static string Describe(IEnumerable<(int Line, string Id)> diagnostics)
    {
        var list = diagnostics.Select(d => $"{d.Id} on line {d.Line + 1}").ToList();
        return list.Count == 0 ? "nothing" : string.Join(", ", list);
    }
}
