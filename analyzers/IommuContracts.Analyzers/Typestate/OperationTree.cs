using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Searches an operation tree for a match without the iterators <c>DescendantsAndSelf</c> allocates per node: the
/// prefilters run over every body of the compilation, most of which never touch a handle and are walked to the end.
/// An explicit stack, since trees can be deep (a long chain of string concatenations).
/// </summary>
internal static class OperationTree
{
    public static bool Any(IOperation root, Func<IOperation, bool> match)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (match(operation))
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }
}
