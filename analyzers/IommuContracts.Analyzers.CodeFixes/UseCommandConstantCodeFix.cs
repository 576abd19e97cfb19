using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>IOMMU0104: replace a literal command number with the uapi struct's Command constant.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseCommandConstantCodeFix)), Shared]
public sealed class UseCommandConstantCodeFix : SiteCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0104");

    internal override async Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token)
    {
        if (await document.GetSyntaxRootAsync(token).ConfigureAwait(false) is not { } root
            || root.FindNode(site.Span, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
            || site.Property(Rules.HandPackedIoctlAnalyzer.CommandTypeProperty) is not { } type)
        {
            return null;
        }

        var constant = SyntaxFactory.ParseExpression(type + ".Command").WithTriviaFrom(literal).WithAdditionalAnnotations(Simplifier.Annotation);
        return new SiteFix(
            $"Use {type.Replace("global::", string.Empty)}.Command",
            _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(literal, constant)).Project.Solution));
    }
}
