using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>IOMMU0104: replace a literal command number with the uapi struct's Command constant.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseCommandConstantCodeFix)), Shared]
public sealed class UseCommandConstantCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0104");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                || !diagnostic.Properties.TryGetValue(Rules.HandPackedIoctlAnalyzer.CommandTypeProperty, out var type) || type is null)
            {
                continue;
            }

            var constant = SyntaxFactory.ParseExpression(type + ".Command").WithTriviaFrom(literal).WithAdditionalAnnotations(Simplifier.Annotation);
            context.RegisterCodeFix(CodeAction.Create(
                $"Use {type.Replace("global::", string.Empty)}.Command",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, constant))),
                nameof(UseCommandConstantCodeFix)), diagnostic);
        }
    }
}
