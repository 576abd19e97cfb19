using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Fix All for a <see cref="SiteCodeFix"/> in document, project or solution scope. Every site is marked with an
/// annotation first; then the sites are fixed in order, each planned on the solution the previous fixes produced
/// (fresh semantic model, the span found again through the mark). Unlike the batch fixer it ignores the
/// equivalence key: <c>dotnet format</c> takes the key from whatever diagnostic it saw first, often one of
/// another ID, and the batch fixer then returns no action at all.
/// </summary>
internal sealed class SequentialFixAllProvider : FixAllProvider
{
    public static readonly SequentialFixAllProvider Instance = new();

    private SequentialFixAllProvider()
    {
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (fixAllContext.CodeFixProvider is not SiteCodeFix fixer)
        {
            return null;
        }

        var sites = await SitesAsync(fixAllContext, fixer).ConfigureAwait(false);
        if (sites.Count == 0)
        {
            return null;
        }

        var ids = string.Join(", ", sites.Select(s => s.Diagnostic.Id).Distinct().OrderBy(id => id, System.StringComparer.Ordinal));
        return CodeAction.Create(
            $"Fix all {ids} in {fixAllContext.Scope.ToString().ToLowerInvariant()}",
            token => ApplyAsync(fixAllContext.Solution, fixer, sites, token),
            fixAllContext.CodeActionEquivalenceKey);
    }

    private static async Task<List<(DocumentId Document, Diagnostic Diagnostic)>> SitesAsync(FixAllContext context, SiteCodeFix fixer)
    {
        var wanted = context.DiagnosticIds.Where(fixer.FixableDiagnosticIds.Contains).ToImmutableHashSet();
        var diagnostics = new List<Diagnostic>();
        var projects = context.Scope switch
        {
            FixAllScope.Project => new[] { context.Project },
            FixAllScope.Solution => context.Solution.Projects.ToArray(),
            _ => System.Array.Empty<Project>(),
        };
        if (context.Scope == FixAllScope.Document && context.Document is { } only)
        {
            diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(only).ConfigureAwait(false));
        }

        foreach (var project in projects)
        {
            diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
        }

        var sites = new List<(DocumentId, Diagnostic)>();
        foreach (var diagnostic in diagnostics.Where(d => wanted.Contains(d.Id) && d.Location.IsInSource).Distinct())
        {
            if (context.Solution.GetDocument(diagnostic.Location.SourceTree) is { } document)
            {
                sites.Add((document.Id, diagnostic));
            }
        }

        return sites
            .OrderBy(s => s.Item2.Location.SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(s => s.Item2.Location.SourceSpan.Start)
            .ToList();
    }

    private static async Task<Solution> ApplyAsync(Solution solution, SiteCodeFix fixer, List<(DocumentId Document, Diagnostic Diagnostic)> sites, CancellationToken token)
    {
        var marks = new List<(DocumentId Document, SyntaxAnnotation Mark, Diagnostic Diagnostic, int Before, int After)>();
        foreach (var group in sites.GroupBy(s => s.Document))
        {
            var document = solution.GetDocument(group.Key)!;
            var root = await document.GetSyntaxRootAsync(token).ConfigureAwait(false);
            if (root is null)
            {
                continue;
            }

            var byNode = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
            foreach (var (_, diagnostic) in group)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var mark = new SyntaxAnnotation("IommuContracts.FixSite");
                if (!byNode.TryGetValue(node, out var list))
                {
                    byNode[node] = list = new List<SyntaxAnnotation>();
                }

                list.Add(mark);
                var span = diagnostic.Location.SourceSpan;
                marks.Add((group.Key, mark, diagnostic, span.Start - node.SpanStart, node.Span.End - span.End));
            }

            solution = solution.WithDocumentSyntaxRoot(group.Key, root.ReplaceNodes(byNode.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(byNode[original])));
        }

        foreach (var (documentId, mark, diagnostic, before, after) in marks)
        {
            token.ThrowIfCancellationRequested();
            if (solution.GetDocument(documentId) is not { } document
                || await document.GetSyntaxRootAsync(token).ConfigureAwait(false) is not { } root
                || root.GetAnnotatedNodes(mark).FirstOrDefault() is not { } node)
            {
                continue;
            }

            // The node FindNode chose for the original span stands for it: the site keeps its offsets inside that node.
            var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(node.SpanStart + before, System.Math.Max(node.SpanStart + before, node.Span.End - after));
            var site = new FixSite(diagnostic.Id, span, diagnostic.Properties);
            if (await fixer.PlanAsync(document, site, token).ConfigureAwait(false) is { } fix)
            {
                solution = await fix.Apply(token).ConfigureAwait(false);
            }
        }

        return solution;
    }
}
