using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Turns an expression body that is a single call of a member or lambda without a result
/// (<c>void Remove(...) =&gt; Iommufd.DeviceUnbind(idev);</c>) into a block holding that call as a statement, so a
/// fix can put statements before or after it. The call's trailing comment stays on its line.
/// </summary>
internal static class ExpressionBodies
{
    /// <summary>Whether <paramref name="call"/> is the whole expression body of a member or lambda.</summary>
    public static bool IsBody(InvocationExpressionSyntax call)
        => call.Parent is ArrowExpressionClauseSyntax { Parent: BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax }
           || (call.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == call);

    /// <summary>
    /// The statement <paramref name="call"/> is, in <paramref name="document"/>, or, when it is an expression body,
    /// in the document with that body made a block; null when it is neither.
    /// </summary>
    public static async Task<(Document Document, SyntaxNode Root, ExpressionStatementSyntax Statement)?> AsStatementAsync(Document document, SyntaxNode root, InvocationExpressionSyntax call, CancellationToken token)
    {
        if (call.Parent is ExpressionStatementSyntax statement)
        {
            return (document, root, statement);
        }

        var mark = new SyntaxAnnotation();
        if (!IsBody(call) || ToBlock(root, call, mark) is not { } expanded)
        {
            return null;
        }

        // The document's tree holds its own copy of the root: look the statement up there, where its semantic model is.
        var changed = document.WithSyntaxRoot(expanded);
        var changedRoot = await changed.GetSyntaxRootAsync(token).ConfigureAwait(false);
        return changedRoot is null ? null : (changed, changedRoot, (ExpressionStatementSyntax)changedRoot.GetAnnotatedNodes(mark).Single());
    }

    /// <summary>The root with that body made a block; <paramref name="mark"/> is on the new call statement.</summary>
    private static SyntaxNode? ToBlock(SyntaxNode root, InvocationExpressionSyntax call, SyntaxAnnotation mark)
    {
        if (call.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == call)
        {
            var body = SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(call.WithoutTrivia()).WithAdditionalAnnotations(mark))
                .WithTriviaFrom(call)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(lambda, lambda.WithExpressionBody(null).WithBlock(body));
        }

        if (call.Parent is not ArrowExpressionClauseSyntax { Parent: { } member })
        {
            return null;
        }

        var semicolon = member switch
        {
            BaseMethodDeclarationSyntax method => method.SemicolonToken,
            LocalFunctionStatementSyntax local => local.SemicolonToken,
            AccessorDeclarationSyntax accessor => accessor.SemicolonToken,
            _ => default,
        };
        var lineEnd = semicolon.TrailingTrivia.LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var statement = SyntaxFactory.ExpressionStatement(call.WithoutTrivia())
            .WithTrailingTrivia(semicolon.TrailingTrivia)
            .WithAdditionalAnnotations(mark);
        var block = SyntaxFactory.Block(statement)
            .WithTrailingTrivia(lineEnd.IsKind(SyntaxKind.EndOfLineTrivia) ? lineEnd : SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
        SyntaxNode? replaced = member switch
        {
            BaseMethodDeclarationSyntax method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
            LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
            AccessorDeclarationSyntax accessor => accessor.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block),
            _ => null,
        };
        return replaced is null ? null : root.ReplaceNode(member, replaced);
    }
}
