using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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

        if (site.Id != "IOMMU0055")
        {
            return new SiteFix($"Use {twin.Name}", _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocationSyntax, replacement.WithTriviaFrom(invocationSyntax))).Project.Solution));
        }

        if (HandleApi.QueryFor(parameter.Type, HandleApi.Required(twin, twin.Parameters[parameter.Ordinal], symbols), symbols) is not { } query)
        {
            return null;
        }

        // Both branches of the choice pass the same arguments; a variable declared in one (out var hwpt) would be
        // declared twice, so it is declared once before the statement and both branches assign it.
        var declared = invocationSyntax.ArgumentList.Arguments
            .Select(a => a.Expression)
            .OfType<DeclarationExpressionSyntax>()
            .Select(d => (Name: (d.Designation as SingleVariableDesignationSyntax)?.Identifier.ValueText, Type: invocation.SemanticModel!.GetTypeInfo(d, token).Type))
            .ToList();
        var statement = invocationSyntax.FirstAncestorOrSelf<StatementSyntax>();
        if (declared.Any(d => d.Name is null || d.Type is null)
            || (declared.Count > 0 && statement?.Parent is not (BlockSyntax or SwitchSectionSyntax)))
        {
            return null;
        }

        var names = new HashSet<string?>(declared.Select(d => d.Name));
        ExpressionSyntax WithoutDeclarations(InvocationExpressionSyntax call)
            => call.ReplaceNodes(
                call.ArgumentList.Arguments.Select(a => a.Expression).OfType<DeclarationExpressionSyntax>()
                    .Where(d => names.Contains((d.Designation as SingleVariableDesignationSyntax)?.Identifier.ValueText)),
                (original, _) => SyntaxFactory.IdentifierName(((SingleVariableDesignationSyntax)original.Designation).Identifier.ValueText).WithTriviaFrom(original));

        var choice = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.ConditionalExpression(
                SyntaxFactory.ParseExpression($"{argumentSyntax.Expression.WithoutTrivia()}.{query.Name}"),
                WithoutDeclarations(replacement),
                WithoutDeclarations(invocationSyntax.WithoutTrivia())))
            .WithAdditionalAnnotations(Formatter.Annotation)
            .WithTriviaFrom(invocationSyntax);
        return new SiteFix($"Use {twin.Name} when {query.Name}", _ =>
        {
            var tracked = root.TrackNodes(new SyntaxNode[] { invocationSyntax, statement! }.Where(n => n is not null));
            var changed = tracked.ReplaceNode(tracked.GetCurrentNode(invocationSyntax)!, choice);
            if (declared.Count > 0)
            {
                var hoisted = declared.Select(d => (StatementSyntax)SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.ParseTypeName(d.Type!.ToMinimalDisplayString(invocation.SemanticModel!, invocationSyntax.SpanStart)),
                        SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(d.Name!)))))
                    .ToArray();
                changed = Statements.InsertBefore(changed, changed.GetCurrentNode(statement!)!, hoisted);
            }

            return Task.FromResult(document.WithSyntaxRoot(changed).Project.Solution);
        });
    }

    private static InvocationExpressionSyntax? Renamed(InvocationExpressionSyntax invocation, string name) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(name))).WithoutTrivia(),
        IdentifierNameSyntax => invocation.WithExpression(SyntaxFactory.IdentifierName(name)).WithoutTrivia(),
        _ => null,
    };
}
