using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0004 / IOMMU0054: insert the detach before the unbind (guarded by IsAttached when the device is
/// attached on some paths only). The calls are found through the contract attributes, not by name.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachBeforeUnbindCodeFix)), Shared]
public sealed class DetachBeforeUnbindCodeFix : SiteCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0004", "IOMMU0054");

    internal override async Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token)
    {
        if (await HandleApi.FindHandleArgumentAsync(document, site.Span, token).ConfigureAwait(false) is not (var root, var symbols, var argumentSyntax, var invocationSyntax, var invocation, var parameter)
            || (invocationSyntax.Parent is not ExpressionStatementSyntax && !ExpressionBodies.IsBody(invocationSyntax))
            || HandleApi.MoveIntoAcceptedState(invocation.TargetMethod, parameter, symbols) is not { } move)
        {
            return null;
        }

        var guarded = site.Id == "IOMMU0054";
        var query = guarded ? HandleApi.QueryFor(parameter.Type, HandleApi.Required(move, move.Parameters[0], symbols), symbols) : null;
        if (guarded && query is null)
        {
            return null;
        }

        var braces = BracePreference.For(document, root.SyntaxTree);
        var title = guarded ? $"Call {move.Name} first when {query!.Name}" : $"Call {move.Name} first";
        return new SiteFix(title, async cancel =>
        {
            var handle = argumentSyntax.Expression.WithoutTrivia();
            // The shortest name of the type that binds to it here (the Simplifier does not reduce names inside a new block).
            var callee = move.ContainingType.ToMinimalDisplayString(invocation.SemanticModel!, invocationSyntax.SpanStart) + "." + move.Name;
            StatementSyntax insert = SyntaxFactory.ParseStatement($"{callee}({handle});");
            if (query is not null)
            {
                insert = Statements.If(SyntaxFactory.ParseExpression($"{handle}.{query.Name}"), insert, braces);
            }

            if (await ExpressionBodies.AsStatementAsync(document, root, invocationSyntax, cancel).ConfigureAwait(false) is not var (target, targetRoot, statement))
            {
                return document.Project.Solution;
            }

            return target.WithSyntaxRoot(Statements.InsertBefore(targetRoot, statement, insert)).Project.Solution;
        });
    }
}
