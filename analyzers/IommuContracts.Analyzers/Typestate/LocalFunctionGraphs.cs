using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The control-flow graphs of the local functions declared anywhere in one body (in nested local functions and
/// lambdas too): a local function's graph only exists through the graph that declares it, so its summary is computed
/// from here. Found on first use.
/// </summary>
internal sealed class LocalFunctionGraphs
{
    private readonly ControlFlowGraph _root;
    private Dictionary<IMethodSymbol, ControlFlowGraph>? _graphs;

    public LocalFunctionGraphs(ControlFlowGraph root) => _root = root;

    public ControlFlowGraph? GraphOf(IMethodSymbol localFunction)
    {
        if (_graphs is null)
        {
            _graphs = new Dictionary<IMethodSymbol, ControlFlowGraph>(SymbolEqualityComparer.Default);
            Collect(_root);
        }

        return _graphs.TryGetValue(localFunction, out var graph) ? graph : null;
    }

    private void Collect(ControlFlowGraph graph)
    {
        foreach (var localFunction in graph.LocalFunctions)
        {
            var nested = graph.GetLocalFunctionControlFlowGraph(localFunction);
            _graphs![localFunction] = nested;
            Collect(nested);
        }

        foreach (var operation in GraphOperations.All(graph))
        {
            if (operation is IFlowAnonymousFunctionOperation lambda)
            {
                Collect(graph.GetAnonymousFunctionControlFlowGraph(lambda));
            }
        }
    }
}
