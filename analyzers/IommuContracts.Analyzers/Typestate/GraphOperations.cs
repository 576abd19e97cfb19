using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>The operations of a control-flow graph, for the passes that scan a whole body rather than follow its flow.</summary>
internal static class GraphOperations
{
    /// <summary>Every operation of every block (its branch value last) with all its descendants, block by block.</summary>
    /// <remarks>A body is scanned by every analysis of it: flattened once per graph within a callback (<see cref="GraphMemo"/>).</remarks>
    public static IReadOnlyList<IOperation> All(ControlFlowGraph graph)
        => GraphMemo.Of(graph) is { } facts ? facts.Operations ??= Flatten(graph) : Flatten(graph);

    private static List<IOperation> Flatten(ControlFlowGraph graph)
    {
        var operations = new List<IOperation>();
        var pending = new Stack<IOperation>();
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                AddWithDescendants(operation, operations, pending);
            }

            if (block.BranchValue is { } branch)
            {
                AddWithDescendants(branch, operations, pending);
            }
        }

        return operations;
    }

    // The order of DescendantsAndSelf (each operation before its children, children in order) without its iterators,
    // which allocate one per node.
    private static void AddWithDescendants(IOperation root, List<IOperation> into, Stack<IOperation> pending)
    {
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            into.Add(operation);
            foreach (var child in operation.ChildOperations.Reverse())
            {
                pending.Push(child);
            }
        }
    }
}
