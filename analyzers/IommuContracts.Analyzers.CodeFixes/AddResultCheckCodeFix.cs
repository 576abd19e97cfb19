using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IommuContracts.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// IOMMU0003 on a call whose Errno is thrown away or stored and never read: keep it and leave on failure
/// (<c>var rc = Call(); if (rc != Errno.None) return rc;</c>, or <c>return;</c> from a method without a result).
/// Only the diagnostics <see cref="UncheckedResultAnalyzer"/> marks as such are fixed: the "used before the
/// result was checked" form names a later use, not the call to check. A free Errno local is reused, otherwise
/// a new one gets a name no other declaration of the member uses.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddResultCheckCodeFix)), Shared]
public sealed class AddResultCheckCodeFix : SiteCodeFix
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("IOMMU0003");

    internal override async Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token)
    {
        var form = site.Property(UncheckedResultAnalyzer.ResultProperty);
        if (form is not (UncheckedResultAnalyzer.Discarded or UncheckedResultAnalyzer.Stored)
            || await document.GetSyntaxRootAsync(token).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(token).ConfigureAwait(false) is not { } model
            || root.FindNode(site.Span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
            || call.Span != site.Span
            || model.Compilation.GetTypeByMetadataName("IommuContracts.Errno") is not { } errno
            || model.GetSymbolInfo(call, token).Symbol is not IMethodSymbol { ReturnsVoid: false } method
            || !SymbolEqualityComparer.Default.Equals(method.ReturnType, errno))
        {
            return null;
        }

        var (statement, stored) = Shape(call);
        if (statement is null && stored is null && await ExpressionBodies.AsStatementAsync(document, root, call, token).ConfigureAwait(false) is var (expanded, expandedRoot, bodyStatement))
        {
            // A void member or lambda whose expression body is the call: plan on it as a block body.
            document = expanded;
            root = expandedRoot;
            model = await expanded.GetSemanticModelAsync(token).ConfigureAwait(false) ?? model;
            statement = bodyStatement;
            call = (InvocationExpressionSyntax)bodyStatement.Expression;
            errno = model.Compilation.GetTypeByMetadataName("IommuContracts.Errno") ?? errno;
        }

        if (statement is null || (form == UncheckedResultAnalyzer.Stored) != (stored is not null)
            || ResultFunction.Of(statement, model, errno, token) is not { } function)
        {
            return null;
        }

        var braces = BracePreference.For(document, root.SyntaxTree);
        return new SiteFix("Check the Errno and return on failure", _ =>
        {
            SyntaxNode fixedRoot;
            if (stored is not null)
            {
                fixedRoot = Statements.InsertAfter(root, statement, Check(stored, function, braces));
            }
            else
            {
                var reused = ResultVariable.Reusable(statement, model, errno, function, token);
                var name = reused ?? ResultVariable.FreeName(statement, model, function, "rc");
                var keep = reused is not null
                    ? (StatementSyntax)SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(reused), call.WithoutTrivia()))
                    : SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(call.WithoutTrivia())))));
                fixedRoot = Statements.Replace(root, statement, keep, Check(name, function, braces));
            }

            return Task.FromResult(document.WithSyntaxRoot(fixedRoot).Project.Solution);
        });
    }

    // The statement holding the call, and the local it stores the Errno in (null when the Errno is discarded).
    private static (StatementSyntax? Statement, string? Stored) Shape(InvocationExpressionSyntax call) => call.Parent switch
    {
        ExpressionStatementSyntax statement => (statement, null),
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } when declarator.Parent?.Parent is LocalDeclarationStatementSyntax declaration
            => (declaration, declarator.Identifier.ValueText),
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Left: IdentifierNameSyntax local, Parent: ExpressionStatementSyntax statement } assignment
            when assignment.Right == call => (statement, local.Identifier.ValueText),
        _ => (null, null),
    };

    private static IfStatementSyntax Check(string name, ResultFunction function, bool braces)
    {
        var errnoNone = SyntaxFactory.ParseExpression("global::IommuContracts.Errno.None").WithAdditionalAnnotations(Simplifier.Annotation);
        var failed = SyntaxFactory.BinaryExpression(SyntaxKind.NotEqualsExpression, SyntaxFactory.IdentifierName(name), errnoNone);
        var leave = function.ReturnsErrno ? SyntaxFactory.ReturnStatement(SyntaxFactory.IdentifierName(name)) : SyntaxFactory.ReturnStatement();
        return Statements.If(failed, leave, braces);
    }
}
