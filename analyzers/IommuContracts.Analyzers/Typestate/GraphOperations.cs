using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>The operations of a control-flow graph, for the passes that scan a whole body rather than follow its flow.</summary>
internal static class GraphOperations
{
    /// <summary>Every operation of every block (its branch value last) with all its descendants, block by block.</summary>
    public static IEnumerable<IOperation> All(ControlFlowGraph graph)
    {
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                foreach (var descendant in operation.DescendantsAndSelf())
                {
                    yield return descendant;
                }
            }

            if (block.BranchValue is { } branch)
            {
                foreach (var descendant in branch.DescendantsAndSelf())
                {
                    yield return descendant;
                }
            }
        }
    }
}
