using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>The operations of a control-flow graph, for the passes that scan a whole body rather than follow its flow.</summary>
internal static class GraphOperations
{
    // A body is scanned by every analysis of it (its summary, its type's passes, each start state): flattened once per
    // graph, and forgotten with the graph.
    private static readonly ConditionalWeakTable<ControlFlowGraph, List<IOperation>> Flattened = new();

    /// <summary>Every operation of every block (its branch value last) with all its descendants, block by block.</summary>
    public static IReadOnlyList<IOperation> All(ControlFlowGraph graph) => Flattened.GetValue(graph, Flatten);

    private static List<IOperation> Flatten(ControlFlowGraph graph)
    {
        var operations = new List<IOperation>();
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                operations.AddRange(operation.DescendantsAndSelf());
            }

            if (block.BranchValue is { } branch)
            {
                operations.AddRange(branch.DescendantsAndSelf());
            }
        }

        return operations;
    }
}
