using IommuContracts.Cli.Findings;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Finds the member a diagnostic belongs to, for --diff: a change anywhere in that member (including deleted
/// lines) can be what caused the finding, as when deleting a detach makes the unbind lines below wrong. Method-like
/// members (methods, constructors, accessors, operators, local functions belong to their method) own the
/// findings inside them; a field's finding, or one on a type declaration, belongs to the whole type, since any
/// member of the type may be the one that should release the field.
/// </summary>
internal static class MemberLocator
{
    public static FindingMember? Find(Diagnostic diagnostic, Compilation compilation, CancellationToken cancellationToken)
    {
        if (diagnostic.Location is not { IsInSource: true, SourceTree: { } tree } location
            || !compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

        var node = tree.GetRoot(cancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var member = node.AncestorsAndSelf().FirstOrDefault(n => n is AccessorDeclarationSyntax
            or BaseMethodDeclarationSyntax
            or PropertyDeclarationSyntax { ExpressionBody: not null }
            or IndexerDeclarationSyntax { ExpressionBody: not null }
            or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax);
        if (member is null)
        {
            return null;
        }

        var model = compilation.GetSemanticModel(tree);
        var symbol = model.GetDeclaredSymbol(member, cancellationToken);
        var name = symbol?.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) ?? member.GetType().Name;
        var lines = member.GetLocation().GetMappedLineSpan();
        return new FindingMember(name, lines.StartLinePosition.Line + 1, lines.EndLinePosition.Line + 1);
    }
}
