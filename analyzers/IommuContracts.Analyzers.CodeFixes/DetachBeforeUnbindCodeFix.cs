using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0004 / IOMMU0054: insert the detach before the unbind (guarded by IsAttached when the device is
/// attached on some paths only). The calls are found through the contract attributes, not by name.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachBeforeUnbindCodeFix)), Shared]
public sealed class DetachBeforeUnbindCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0004", "IOMMU0054");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await HandleApi.FindHandleArgumentAsync(context).ConfigureAwait(false) is not (var root, var symbols, var argumentSyntax, var invocationSyntax, var invocation, var parameter)
            || invocationSyntax.Parent is not ExpressionStatementSyntax statement
            || HandleApi.MoveIntoAcceptedState(invocation.TargetMethod, parameter, symbols) is not { } move)
        {
            return;
        }

        var guarded = context.Diagnostics.Any(d => d.Id == "IOMMU0054");
        var query = guarded ? HandleApi.QueryFor(parameter.Type, HandleApi.Required(move, move.Parameters[0], symbols), symbols) : null;
        if (guarded && query is null)
        {
            return;
        }

        var title = guarded ? $"Call {move.Name} first when {query!.Name}" : $"Call {move.Name} first";
        context.RegisterCodeFix(CodeAction.Create(title, _ =>
        {
            var handle = argumentSyntax.Expression.WithoutTrivia();
            var callee = move.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + move.Name;
            StatementSyntax insert = SyntaxFactory.ParseStatement($"{callee}({handle});");
            if (query is not null)
            {
                insert = SyntaxFactory.IfStatement(SyntaxFactory.ParseExpression($"{handle}.{query.Name}"), insert);
            }

            insert = insert.WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)
                .WithAdditionalAnnotations(Formatter.Annotation, Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);
            return Task.FromResult(context.Document.WithSyntaxRoot(root.InsertNodesBefore(statement, new[] { insert })));
        }, nameof(DetachBeforeUnbindCodeFix)), context.Diagnostics);
    }
}
