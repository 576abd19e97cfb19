using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0003 on a bare call statement: keep the Errno and return it on failure (<c>var rc = Call(); if (rc
/// != Errno.None) return rc;</c>), or just return from a void method.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddResultCheckCodeFix)), Shared]
public sealed class AddResultCheckCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0003");

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } invocation
            || model is null || ReturnKind(statement, model, context.CancellationToken) is not { } returns)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Check the Errno and return on failure", _ => Fix(context.Document, root, statement, invocation, returns, model), nameof(AddResultCheckCodeFix)),
            context.Diagnostics);
    }

    private static Task<Document> Fix(Document document, SyntaxNode root, ExpressionStatementSyntax statement, InvocationExpressionSyntax invocation, SpecialType returns, SemanticModel model)
    {
        var name = FreeName(model, statement.SpanStart, "rc");
        var errnoNone = SyntaxFactory.ParseExpression("global::IommuContracts.Errno.None").WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation);
        var declaration = SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(invocation.WithoutTrivia())))))
            .WithLeadingTrivia(statement.GetLeadingTrivia());
        var failure = SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, SyntaxFactory.IdentifierName(name), errnoNone);
        var leave = returns == SpecialType.System_Void ? SyntaxFactory.ReturnStatement() : SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(name));
        var check = SyntaxFactory.IfStatement(failure, leave).WithTrailingTrivia(statement.GetTrailingTrivia());
        var replaced = root.ReplaceNode(statement, new SyntaxNode[] { declaration.WithAdditionalAnnotations(Formatter.Annotation), check.WithAdditionalAnnotations(Formatter.Annotation) });
        return Task.FromResult(document.WithSyntaxRoot(replaced));
    }

    // Void, or a method that returns Errno (then the Errno is passed on); anything else is the author's call.
    private static SpecialType? ReturnKind(SyntaxNode statement, SemanticModel model, CancellationToken token)
    {
        var owner = statement.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        var symbol = owner is AnonymousFunctionExpressionSyntax lambda ? model.GetSymbolInfo(lambda, token).Symbol : owner is null ? null : model.GetDeclaredSymbol(owner, token);
        if (symbol is not IMethodSymbol { IsAsync: false } method)
        {
            return null;
        }

        if (method.ReturnsVoid)
        {
            return SpecialType.System_Void;
        }

        var errno = model.Compilation.GetTypeByMetadataName("IommuContracts.Errno");
        return errno is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType, errno) ? SpecialType.None : null;
    }

    private static string FreeName(SemanticModel model, int position, string name)
    {
        var candidate = name;
        for (var i = 2; model.LookupSymbols(position, name: candidate).Any(); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }
}
