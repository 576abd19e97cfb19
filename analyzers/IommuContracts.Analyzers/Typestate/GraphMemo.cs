using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What is worked out once per control-flow graph and shared by every analysis of the body (its summary, its type's
/// field passes, each start state, the nested lambdas): its flattened operations and its handle resolver. Kept per
/// thread for the duration of one analyzer callback, where those analyses happen, and dropped when it returns: no lock
/// (a table shared by the analyzer's threads made every new graph wait on the others) and nothing outlives the
/// callback to keep a compilation alive. Outside a callback (tests, code fixes) nothing is kept.
/// </summary>
internal static class GraphMemo
{
    [ThreadStatic]
    private static Dictionary<ControlFlowGraph, Facts>? t_facts;

    [ThreadStatic]
    private static int t_depth;

    /// <summary>Keeps what is worked out about graphs on this thread until the returned scope is disposed.</summary>
    public static Scope Enter()
    {
        t_depth++;
        return default;
    }

    /// <summary>The facts kept for <paramref name="graph"/>, or null outside a callback.</summary>
    public static Facts? Of(ControlFlowGraph graph)
    {
        if (t_depth == 0)
        {
            return null;
        }

        var facts = t_facts ??= new Dictionary<ControlFlowGraph, Facts>();
        if (!facts.TryGetValue(graph, out var known))
        {
            facts[graph] = known = new Facts();
        }

        return known;
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose()
        {
            if (--t_depth == 0)
            {
                t_facts?.Clear();
            }
        }
    }

    public sealed class Facts
    {
        public List<IOperation>? Operations { get; set; }

        public HandleResolver? Resolver { get; set; }
    }
}
