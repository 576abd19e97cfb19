using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Puts generated statements next to an existing one wherever it sits: in a block or switch section they become
/// siblings; an embedded statement (the body of an if, else, loop or label) first becomes a block, and a top-level
/// statement gets top-level siblings. Generated statements carry the Formatter and Simplifier annotations, so the
/// result is formatted with the user's settings and names are reduced to what the file's usings allow.
/// </summary>
internal static class Statements
{
    /// <summary><c>if (condition) body</c>, the body in braces when the style asks for them.</summary>
    public static IfStatementSyntax If(ExpressionSyntax condition, StatementSyntax body, bool braces)
        => SyntaxFactory.IfStatement(condition, braces ? SyntaxFactory.Block(body) : body);

    public static SyntaxNode InsertBefore(SyntaxNode root, StatementSyntax anchor, params StatementSyntax[] inserted)
        => Splice(root, anchor, inserted, after: false);

    public static SyntaxNode InsertAfter(SyntaxNode root, StatementSyntax anchor, params StatementSyntax[] inserted)
        => Splice(root, anchor, inserted, after: true);

    /// <summary>Replaces <paramref name="anchor"/> by <paramref name="replacement"/>; the first takes its comments and line end.</summary>
    public static SyntaxNode Replace(SyntaxNode root, StatementSyntax anchor, params StatementSyntax[] replacement)
    {
        var generated = replacement.Select((s, i) => i == 0
            ? Annotate(s).WithLeadingTrivia(anchor.GetLeadingTrivia()).WithTrailingTrivia(anchor.GetTrailingTrivia())
            : Annotate(s).WithLeadingTrivia(Indentation(anchor)).WithTrailingTrivia(LineEnd(anchor))).ToList();
        return Put(root, anchor, generated);
    }

    private static SyntaxNode Splice(SyntaxNode root, StatementSyntax anchor, StatementSyntax[] inserted, bool after)
    {
        var generated = inserted.Select(s => (StatementSyntax)Annotate(s).WithLeadingTrivia(Indentation(anchor)).WithTrailingTrivia(LineEnd(anchor))).ToList();
        var sequence = after ? new[] { anchor }.Concat(generated) : generated.Concat(new[] { anchor });
        return Put(root, anchor, sequence.ToList());
    }

    private static SyntaxNode Put(SyntaxNode root, StatementSyntax anchor, List<StatementSyntax> sequence)
    {
        switch (anchor.Parent)
        {
            case BlockSyntax or SwitchSectionSyntax:
                return root.ReplaceNode(anchor, sequence);
            case GlobalStatementSyntax global:
                return root.ReplaceNode(global, sequence.Select(s => SyntaxFactory.GlobalStatement(s)));
            default:
                // The body of an if / else / loop / label holds one statement: make it a block holding all of them.
                // The anchor keeps its trailing comment inside the block; the block ends the line as the anchor did.
                var block = SyntaxFactory.Block(sequence.Select(s => s == anchor
                        ? s.WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                        : s.WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker)))
                    .WithLeadingTrivia(anchor.GetLeadingTrivia())
                    .WithTrailingTrivia(LineEnd(anchor))
                    .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
                return root.ReplaceNode(anchor, block);
        }
    }

    private static StatementSyntax Annotate(StatementSyntax statement)
        => statement.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);

    // The whitespace the anchor's own line starts with (its comments above are not repeated).
    private static SyntaxTriviaList Indentation(StatementSyntax anchor)
    {
        var leading = anchor.GetLeadingTrivia();
        var last = leading.Count > 0 ? leading[leading.Count - 1] : default;
        return last.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(last) : SyntaxFactory.TriviaList(SyntaxFactory.ElasticMarker);
    }

    // The line end the file uses after the anchor (LF or CRLF); elastic when the anchor has none.
    private static SyntaxTriviaList LineEnd(StatementSyntax anchor)
    {
        var end = anchor.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return end.IsKind(SyntaxKind.EndOfLineTrivia) ? SyntaxFactory.TriviaList(end) : SyntaxFactory.TriviaList(SyntaxFactory.ElasticCarriageReturnLineFeed);
    }
}
