using System.Collections.Immutable;
using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Samples;
using IommuContracts.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>
/// Fix All as <c>dotnet format analyzers</c> drives it, over samples/BrokenDriver: one diagnostic ID after the other,
/// the diagnostics of every analyzer that supports the ID, the equivalence key taken from whatever diagnostic
/// came first (often one of another ID, which the fixer offers nothing for), solution scope. Every fixable
/// diagnostic must be fixed whatever the order of the IDs, with the same result, and the code must compile.
/// (The batch fixer returned no action there: "DetachBeforeUnbindCodeFix didn't return a Fix All action".)
/// </summary>
public class FixAllAcrossRulesTests
{
    private static readonly ImmutableArray<CodeFixProvider> Fixers = typeof(SiteCodeFix).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    [Fact]
    public async Task Every_fixable_rule_is_fixed_in_any_order_of_ids_with_the_same_compiling_result()
    {
        var ids = Fixers.SelectMany(f => f.FixableDiagnosticIds).Distinct().Order(StringComparer.Ordinal).ToList();
        var forward = await FixInOrder(ids);
        var backward = await FixInOrder(Enumerable.Reverse(ids).ToList());

        foreach (var (path, text) in forward.Texts)
        {
            Assert.Equal(text, backward.Texts[path]);
        }

        Assert.True(forward.CompileErrors.Count == 0, string.Join('\n', forward.CompileErrors));
        Assert.DoesNotContain(forward.Remaining, ids.Contains);
    }

    private static async Task<(Dictionary<string, string> Texts, List<string> CompileErrors, List<string> Remaining)> FixInOrder(IReadOnlyList<string> ids)
    {
        using var workspace = new AdhocWorkspace();
        var solution = BrokenDriverSolution(workspace, out var projectId);
        var analyzers = BrokenDriverTests.AllAnalyzers();
        foreach (var id in ids)
        {
            var supporting = analyzers.Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToImmutableArray();
            var diagnostics = await Diagnose(solution.GetProject(projectId)!, supporting);
            if (!diagnostics.Any(d => d.Id == id))
            {
                continue;
            }

            foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(id)))
            {
                var first = diagnostics.First(d => d.Location.IsInSource);
                var document = solution.GetDocument(first.Location.SourceTree)!;
                CodeAction? offered = null;
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (action, _) => offered ??= action, CancellationToken.None));
                var context = new FixAllContext(document, fixer, FixAllScope.Solution, offered?.EquivalenceKey, [id], new FixedDiagnostics(diagnostics), CancellationToken.None);
                var fixAll = await fixer.GetFixAllProvider()!.GetFixAsync(context);
                Assert.True(fixAll is not null, $"{fixer.GetType().Name} returned no Fix All action for {id}");
                var operations = await fixAll.GetOperationsAsync(CancellationToken.None);
                solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            }
        }

        var project = solution.GetProject(projectId)!;
        var compilation = (await project.GetCompilationAsync())!;
        var texts = new Dictionary<string, string>();
        foreach (var document in project.Documents)
        {
            texts[document.Name] = (await document.GetTextAsync()).ToString();
        }

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var remaining = (await Diagnose(project, analyzers)).Select(d => d.Id).ToList();
        return (texts, errors, remaining);
    }

    private static Solution BrokenDriverSolution(AdhocWorkspace workspace, out ProjectId projectId)
    {
        projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Create(), "BrokenDriver", "BrokenDriver", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: SnippetReferences.All));
        foreach (var file in Directory.GetFiles(RepositoryPaths.Of("samples", "BrokenDriver"), "*.cs").Order(StringComparer.Ordinal))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file), File.ReadAllText(file), filePath: file);
        }

        return solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.cs", "global using System; global using System.Collections.Generic; global using System.Linq;", filePath: "/GlobalUsings.cs");
    }

    private static async Task<ImmutableArray<Diagnostic>> Diagnose(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = (await project.GetCompilationAsync())!;
        return (await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id.StartsWith("IOMMU", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>What dotnet format hands Fix All: the diagnostics it computed, of every ID, not filtered.</summary>
    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
