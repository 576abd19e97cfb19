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

/// <summary>IOMMU0009: declare [DriverManagedDma] on the driver type that binds devices to iommufd.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddDriverManagedDmaCodeFix)), Shared]
public sealed class AddDriverManagedDmaCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0009");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return;
        }

        context.RegisterCodeFix(CodeAction.Create($"Declare [DriverManagedDma] on '{type.Identifier.Text}'", _ =>
        {
            var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::IommuContracts.Contracts.DriverManagedDma").WithAdditionalAnnotations(Simplifier.Annotation))));
            var annotated = type.WithoutLeadingTrivia().AddAttributeLists(attribute.WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)).WithLeadingTrivia(type.GetLeadingTrivia());
            return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, annotated)));
        }, nameof(AddDriverManagedDmaCodeFix)), context.Diagnostics);
    }
}
