using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>Whether a local is read after a call (later in the body, or anywhere in a loop around the call).</summary>
internal static class LocalReads
{
    public static bool ReadAfter(ILocalSymbol local, IOperation call)
    {
        var root = call;
        while (root.Parent is { } up)
        {
            root = up;
        }

        return root.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(reference =>
            SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && !reference.IsDeclaration
            && !call.Syntax.Span.Contains(reference.Syntax.Span)
            && !(reference.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
            && (reference.Syntax.SpanStart > call.Syntax.Span.End || InLoopAround(reference, call)));
    }

    private static bool InLoopAround(IOperation reference, IOperation call)
    {
        for (var parent = call.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
            {
                return loop.Syntax.Span.Contains(reference.Syntax.Span);
            }
        }

        return false;
    }
}
