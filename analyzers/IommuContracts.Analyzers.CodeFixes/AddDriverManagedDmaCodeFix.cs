using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0009: declare [DriverManagedDma] on the driver class that binds devices to iommufd. A partial class gets
/// it once, on its first declaration, whichever part the bind is in.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddDriverManagedDmaCodeFix)), Shared]
public sealed class AddDriverManagedDmaCodeFix : SiteCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0009");

    internal override async Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token)
    {
        if (await document.GetSyntaxRootAsync(token).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(token).ConfigureAwait(false) is not { } model
            || ContractSymbols.TryCreate(model.Compilation) is not { DriverManagedDma: { } attribute }
            || root.FindNode(site.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, token) is not { TypeKind: TypeKind.Class } driver
            || ContractSymbols.Has(driver, attribute)
            || driver.DeclaringSyntaxReferences.OrderBy(r => r.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(r => r.Span.Start).First() is not { } first
            || document.Project.Solution.GetDocument(first.SyntaxTree) is not { } target)
        {
            return null;
        }

        return new SiteFix($"Declare [DriverManagedDma] on '{driver.Name}'", async cancel =>
        {
            var targetRoot = await target.GetSyntaxRootAsync(cancel).ConfigureAwait(false);
            if (targetRoot?.FindNode(first.Span) is not TypeDeclarationSyntax declaration)
            {
                return document.Project.Solution;
            }

            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::IommuContracts.Contracts.DriverManagedDma").WithAdditionalAnnotations(Simplifier.Annotation))));
            return target.WithSyntaxRoot(targetRoot.ReplaceNode(declaration, WithAttribute(declaration, list))).Project.Solution;
        });
    }

    // The new attribute goes on its own line above the declaration (after any attributes it has); comments
    // above the declaration stay above everything.
    private static TypeDeclarationSyntax WithAttribute(TypeDeclarationSyntax declaration, AttributeListSyntax list)
    {
        var leading = declaration.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : SyntaxFactory.TriviaList();
        var lineEnd = SyntaxFactory.TriviaList(declaration.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is var end && end.IsKind(SyntaxKind.EndOfLineTrivia) ? end : SyntaxFactory.ElasticLineFeed);
        if (declaration.AttributeLists.Count > 0)
        {
            return declaration.AddAttributeLists(list.WithLeadingTrivia(indentation).WithTrailingTrivia(lineEnd));
        }

        return declaration.WithLeadingTrivia(indentation).AddAttributeLists(list.WithLeadingTrivia(leading).WithTrailingTrivia(lineEnd));
    }
}
