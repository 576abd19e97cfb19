using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0005 / IOMMU0055: an attach of an attached device becomes a replace (or, when it is attached on some
/// paths only, a choice on IsAttached). The twin call is found through the contract attributes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AttachToReplaceCodeFix)), Shared]
public sealed class AttachToReplaceCodeFix : SiteCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0005", "IOMMU0055");

    internal override async Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token)
    {
        if (await HandleApi.FindHandleArgumentAsync(document, site.Span, token).ConfigureAwait(false) is not (var root, var symbols, var argumentSyntax, var invocationSyntax, var invocation, var parameter)
            || HandleApi.TwinForOtherState(invocation.TargetMethod, parameter, symbols) is not { } twin
            || Renamed(invocationSyntax, twin.Name) is not { } replacement)
        {
            return null;
        }

        ExpressionSyntax fixedCall = replacement;
        var title = $"Use {twin.Name}";
        if (site.Id == "IOMMU0055")
        {
            if (HandleApi.QueryFor(parameter.Type, HandleApi.Required(twin, twin.Parameters[parameter.Ordinal], symbols), symbols) is not { } query)
            {
                return null;
            }

            title = $"Use {twin.Name} when {query.Name}";
            fixedCall = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.ConditionalExpression(
                SyntaxFactory.ParseExpression($"{argumentSyntax.Expression.WithoutTrivia()}.{query.Name}"), replacement, invocationSyntax.WithoutTrivia()))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        return new SiteFix(title, _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocationSyntax, fixedCall.WithTriviaFrom(invocationSyntax))).Project.Solution));
    }

    private static InvocationExpressionSyntax? Renamed(InvocationExpressionSyntax invocation, string name) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(name))).WithoutTrivia(),
        IdentifierNameSyntax => invocation.WithExpression(SyntaxFactory.IdentifierName(name)).WithoutTrivia(),
        _ => null,
    };
}
