using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Where the fixed call keeps its Errno. An Errno local declared earlier in the same function is reused when
/// nothing reads the value it holds at that point (no later statement, catch or loop iteration can see the
/// overwrite); otherwise a new local gets a name that no declaration or use in the function already has, so it
/// can clash neither with a local of an enclosing scope nor with one declared later in a nested one.
/// </summary>
internal static class ResultVariable
{
    public static string? Reusable(StatementSyntax statement, SemanticModel model, INamedTypeSymbol errno, ResultFunction function, CancellationToken token)
    {
        if (function.Body.DescendantNodes().Any(n => n is GotoStatementSyntax or LabeledStatementSyntax))
        {
            return null;
        }

        var captured = model.AnalyzeDataFlow(function.Body);
        var candidates = model.LookupSymbols(statement.SpanStart).OfType<ILocalSymbol>()
            .Where(local => SymbolEqualityComparer.Default.Equals(local.Type, errno) && !local.IsConst && !local.IsRef
                && local.DeclaringSyntaxReferences.Length == 1
                && local.DeclaringSyntaxReferences[0].GetSyntax(token) is VariableDeclaratorSyntax { Parent.Parent: LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 } } declarator
                && declarator.Span.End <= statement.SpanStart
                && function.Body.Span.Contains(declarator.Span)
                && !(captured is { Succeeded: true } && captured.Captured.Contains(local)))
            .OrderByDescending(local => local.DeclaringSyntaxReferences[0].Span.Start);
        return candidates.FirstOrDefault(local => !ReadLater(statement, local, model, function))?.Name;
    }

    public static string FreeName(StatementSyntax statement, SemanticModel model, ResultFunction function, string name)
    {
        var taken = new HashSet<string>(function.Declaration.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        taken.UnionWith(model.LookupSymbols(statement.SpanStart).Select(s => s.Name));
        var candidate = name;
        for (var i = 2; taken.Contains(candidate); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }

    // Whether a value written at `statement` could be read before being overwritten: by a later statement of an
    // enclosing block, by a catch or finally, or by the next iteration of an enclosing loop.
    private static bool ReadLater(StatementSyntax statement, ILocalSymbol local, SemanticModel model, ResultFunction function)
    {
        SyntaxNode current = statement;
        while (current != function.Body)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case BlockSyntax or SwitchSectionSyntax:
                    var siblings = parent is BlockSyntax block ? block.Statements : ((SwitchSectionSyntax)parent).Statements;
                    var following = siblings.SkipWhile(s => s != current).Skip(1).ToList();
                    if (following.Count > 0)
                    {
                        var flow = model.AnalyzeDataFlow(following[0], following[following.Count - 1]);
                        if (flow is null || !flow.Succeeded || flow.DataFlowsIn.Contains(local))
                        {
                            return true;
                        }
                    }

                    break;
                case null:
                case TryStatementSyntax or CatchClauseSyntax:
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax:
                    return true;
            }

            current = parent!;
        }

        return false;
    }
}
