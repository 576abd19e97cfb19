using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0005 / IOMMU0055: an attach of an attached device becomes a replace (or, when it is attached on some
/// paths only, a choice on IsAttached). The twin call is found through the contract attributes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttachToReplaceCodeFix)), Shared]
public sealed class AttachToReplaceCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0005", "IOMMU0055");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (await HandleApi.FindHandleArgumentAsync(context).ConfigureAwait(false) is not (var root, var symbols, var argumentSyntax, var invocationSyntax, var invocation, var parameter)
            || HandleApi.TwinForOtherState(invocation.TargetMethod, parameter, symbols) is not { } twin
            || Renamed(invocationSyntax, twin.Name) is not { } replacement)
        {
            return;
        }

        ExpressionSyntax fixedCall = replacement;
        var title = $"Use {twin.Name}";
        if (context.Diagnostics.Any(d => d.Id == "IOMMU0055"))
        {
            if (HandleApi.QueryFor(parameter.Type, HandleApi.Required(twin, twin.Parameters[parameter.Ordinal], symbols), symbols) is not { } query)
            {
                return;
            }

            title = $"Use {twin.Name} when {query.Name}";
            fixedCall = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.ConditionalExpression(
                SyntaxFactory.ParseExpression($"{argumentSyntax.Expression.WithoutTrivia()}.{query.Name}"), replacement, invocationSyntax.WithoutTrivia()));
        }

        context.RegisterCodeFix(CodeAction.Create(
            title,
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocationSyntax, fixedCall.WithTriviaFrom(invocationSyntax)))),
            nameof(AttachToReplaceCodeFix)), context.Diagnostics);
    }

    private static InvocationExpressionSyntax? Renamed(InvocationExpressionSyntax invocation, string name) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(name))).WithoutTrivia(),
        IdentifierNameSyntax => invocation.WithExpression(SyntaxFactory.IdentifierName(name)).WithoutTrivia(),
        _ => null,
    };
}
