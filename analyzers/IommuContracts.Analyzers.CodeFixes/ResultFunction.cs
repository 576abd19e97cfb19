using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// The function (method, accessor, local function or lambda) a statement runs in, when it can leave on a failed
/// Errno: returning that Errno (it returns Errno, or Task / ValueTask of it when async) or just returning (void,
/// or async Task / ValueTask). Anything else, a statement in a finally block (no return allowed there) and
/// top-level statements get no fix: what to do on failure is the author's call.
/// </summary>
internal sealed class ResultFunction
{
    private ResultFunction(SyntaxNode declaration, BlockSyntax body, bool returnsErrno)
    {
        Declaration = declaration;
        Body = body;
        ReturnsErrno = returnsErrno;
    }

    public SyntaxNode Declaration { get; }

    public BlockSyntax Body { get; }

    /// <summary>True: leave with <c>return rc;</c>. False: leave with <c>return;</c>.</summary>
    public bool ReturnsErrno { get; }

    public static ResultFunction? Of(StatementSyntax statement, SemanticModel model, INamedTypeSymbol errno, CancellationToken token)
    {
        SyntaxNode? owner = null;
        foreach (var ancestor in statement.Ancestors())
        {
            if (ancestor is FinallyClauseSyntax)
            {
                return null;
            }

            if (ancestor is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            {
                owner = ancestor;
                break;
            }
        }

        var body = owner switch
        {
            BaseMethodDeclarationSyntax member => member.Body,
            AccessorDeclarationSyntax accessor => accessor.Body,
            LocalFunctionStatementSyntax local => local.Body,
            AnonymousFunctionExpressionSyntax lambda => lambda.Block,
            _ => null,
        };
        var symbol = owner is AnonymousFunctionExpressionSyntax function ? model.GetSymbolInfo(function, token).Symbol : owner is null ? null : model.GetDeclaredSymbol(owner, token);
        if (owner is null || body is null || symbol is not IMethodSymbol method)
        {
            return null;
        }

        var returned = method.ReturnType as INamedTypeSymbol;
        if (method.IsAsync && returned is { Name: "Task" or "ValueTask", ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Threading.Tasks")
        {
            returned = returned.TypeArguments.FirstOrDefault() as INamedTypeSymbol;
            if (returned is null)
            {
                return new ResultFunction(owner, body, returnsErrno: false);
            }
        }

        if (method.ReturnsVoid)
        {
            return new ResultFunction(owner, body, returnsErrno: false);
        }

        return SymbolEqualityComparer.Default.Equals(returned, errno) ? new ResultFunction(owner, body, returnsErrno: true) : null;
    }
}
