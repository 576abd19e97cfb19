using System.Collections.Generic;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Runs the typestate dataflow over one control-flow graph to a fixpoint, then walks it once more to report:
/// contract violations at calls, and handles acquired in the body that some exit leaves owned (leaks).
/// Finally blocks run on the paths that leave their try; a catch starts from anything its try saw.
/// </summary>
internal sealed class TypestateAnalysis
{
    // A body whose states keep changing after this many block visits per block is given up on (no reports).
    private const int VisitsPerBlock = 64;

    private readonly ControlFlowGraph _graph;
    private readonly MethodScope _scope;
    private readonly HandleResolver _resolver;
    private readonly TypestateWalker _walker;
    private readonly FlowState?[] _input;
    private readonly FlowState?[] _output;
    private readonly Dictionary<ControlFlowRegion, List<(ControlFlowBranch Branch, int Index, BasicBlock Source)>> _finallyContinuations = new();
    private readonly Dictionary<int, ControlFlowRegion> _handlerTry = new();

    private TypestateAnalysis(ControlFlowGraph graph, MethodScope scope)
    {
        _graph = graph;
        _scope = scope;
        _resolver = new HandleResolver(scope.Symbols, graph);
        _walker = new TypestateWalker(scope, _resolver, graph);
        _input = new FlowState?[graph.Blocks.Length];
        _output = new FlowState?[graph.Blocks.Length];
        IndexRegions();
    }

    /// <summary>Analyses <paramref name="graph"/> and the lambdas and local functions inside it.</summary>
    public static void Run(ControlFlowGraph graph, MethodScope scope, DiagnosticSink sink)
    {
        var analysis = new TypestateAnalysis(graph, scope);
        if (analysis.Solve())
        {
            analysis.Report(sink);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            Run(graph.GetLocalFunctionControlFlowGraph(localFunction), new MethodScope(scope.Symbols, localFunction, scope.FieldEntryStates), sink);
        }

        foreach (var lambda in GraphOperations.All(graph).OfType<IFlowAnonymousFunctionOperation>())
        {
            Run(graph.GetAnonymousFunctionControlFlowGraph(lambda), new MethodScope(scope.Symbols, lambda.Symbol, scope.FieldEntryStates), sink);
        }
    }

    // Every handle the body can see but did not create (parameters, fields, captured locals) starts from its
    // entry facts, so that a path which never touches it still contributes them at a merge.
    private FlowState InitialState()
    {
        var state = FlowState.Empty;
        foreach (var operation in GraphOperations.All(_graph))
        {
            if (_resolver.Resolve(operation) is { } handle && !state.TryGet(handle, out _)
                && !(handle is ILocalSymbol local && SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _scope.Owner)))
            {
                state = state.With(handle, _walker.FactsOf(state, handle));
            }
        }

        return state;
    }

    private bool Solve()
    {
        var work = new SortedSet<int> { 0 };
        _input[0] = InitialState();
        var budget = VisitsPerBlock * _graph.Blocks.Length;
        while (work.Count > 0)
        {
            if (--budget < 0)
            {
                return false;
            }

            var ordinal = work.Min;
            work.Remove(ordinal);
            var block = _graph.Blocks[ordinal];
            var output = _input[ordinal]!;
            foreach (var (target, state) in Transfer(block, output, exits: null))
            {
                Merge(target, state, work);
            }

            _output[ordinal] = Join(_output[ordinal], output);
            foreach (var handler in HandlersCovering(ordinal))
            {
                Merge(handler, _input[ordinal]!.Join(_output[ordinal]!), work);
            }
        }

        return true;
    }

    private void Report(DiagnosticSink sink)
    {
        _walker.Sink = sink;
        var exits = new List<(FlowState State, Location At)>();
        for (var ordinal = 0; ordinal < _graph.Blocks.Length; ordinal++)
        {
            if (_input[ordinal] is { } input)
            {
                _ = Transfer(_graph.Blocks[ordinal], input, exits);
            }
        }

        ReportLeaks(exits, sink);
    }

    /// <summary>The block's effect, as (successor block, state) pairs; exits are collected when asked for.</summary>
    private List<(BasicBlock Target, FlowState State)> Transfer(BasicBlock block, FlowState state, List<(FlowState, Location)>? exits)
    {
        foreach (var operation in block.Operations)
        {
            state = _walker.Visit(operation, state);
        }

        state = _walker.Visit(block.BranchValue, state);
        var results = new List<(BasicBlock Target, FlowState State)>();
        if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is { } condition)
        {
            var (whenTrue, whenFalse) = _walker.Refine(condition, state);
            var conditional = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenTrue : whenFalse;
            var fallThrough = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenFalse : whenTrue;
            Follow(block, block.ConditionalSuccessor, conditional, results, exits);
            Follow(block, block.FallThroughSuccessor, fallThrough, results, exits);
        }
        else
        {
            Follow(block, block.FallThroughSuccessor, state, results, exits);
        }

        return results;
    }

    private void Follow(BasicBlock source, ControlFlowBranch? branch, FlowState state, List<(BasicBlock Target, FlowState State)> results, List<(FlowState, Location)>? exits)
    {
        if (branch is null || branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow
                or ControlFlowBranchSemantics.ProgramTermination or ControlFlowBranchSemantics.Error)
        {
            return;
        }

        if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
        {
            // The end of a finally: go on to wherever the branches that ran it were going.
            if (EnclosingFinally(source) is { } region && _finallyContinuations.TryGetValue(region, out var continuations))
            {
                foreach (var (original, index, origin) in continuations)
                {
                    Continue(origin, original, index + 1, state, results, exits);
                }
            }

            return;
        }

        Continue(source, branch, 0, state, results, exits);
    }

    // Runs the branch's finally regions from the index-th on, then reaches its destination.
    private void Continue(BasicBlock source, ControlFlowBranch branch, int finallyIndex, FlowState state, List<(BasicBlock Target, FlowState State)> results, List<(FlowState, Location)>? exits)
    {
        if (finallyIndex < branch.FinallyRegions.Length)
        {
            results.Add((_graph.Blocks[branch.FinallyRegions[finallyIndex].FirstBlockOrdinal], state));
            return;
        }

        if (branch.Destination is not { } destination)
        {
            return;
        }

        if (destination.Kind == BasicBlockKind.Exit)
        {
            exits?.Add((state, ExitLocation(source)));
        }

        results.Add((destination, state));
    }

    private void Merge(BasicBlock target, FlowState state, SortedSet<int> work) => Merge(target.Ordinal, state, work);

    private void Merge(int ordinal, FlowState state, SortedSet<int> work)
    {
        var merged = Join(_input[ordinal], state);
        if (_input[ordinal] is null || !merged.SameAs(_input[ordinal]!))
        {
            _input[ordinal] = merged;
            work.Add(ordinal);
        }
    }

    private static FlowState Join(FlowState? existing, FlowState incoming) => existing is null ? incoming : existing.Join(incoming);

    private IEnumerable<int> HandlersCovering(int ordinal)
    {
        foreach (var pair in _handlerTry)
        {
            if (ordinal >= pair.Value.FirstBlockOrdinal && ordinal <= pair.Value.LastBlockOrdinal)
            {
                yield return pair.Key;
            }
        }
    }

    private void IndexRegions()
    {
        foreach (var block in _graph.Blocks)
        {
            foreach (var branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
            {
                if (branch is null)
                {
                    continue;
                }

                for (var i = 0; i < branch.FinallyRegions.Length; i++)
                {
                    if (!_finallyContinuations.TryGetValue(branch.FinallyRegions[i], out var list))
                    {
                        _finallyContinuations[branch.FinallyRegions[i]] = list = new();
                    }

                    list.Add((branch, i, block));
                }
            }
        }

        Collect(_graph.Root);
        void Collect(ControlFlowRegion region)
        {
            if (region.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                var tryRegion = region.NestedRegions.First();
                foreach (var handler in region.NestedRegions.Skip(1))
                {
                    _handlerTry[handler.FirstBlockOrdinal] = tryRegion;
                }
            }

            foreach (var nested in region.NestedRegions)
            {
                Collect(nested);
            }
        }
    }

    private static ControlFlowRegion? EnclosingFinally(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return region;
            }
        }

        return null;
    }

    private Location ExitLocation(BasicBlock source)
    {
        var syntax = source.BranchValue?.Syntax ?? (source.Operations.IsEmpty ? null : source.Operations[source.Operations.Length - 1].Syntax);
        return (syntax ?? _graph.OriginalOperation.Syntax).GetLocation();
    }

    private void ReportLeaks(List<(FlowState State, Location At)> exits, DiagnosticSink sink)
    {
        var sites = new Dictionary<IOperation, (string Name, HandleType Type, List<Location> Leaked, int Released)>();
        foreach (var (state, at) in exits)
        {
            foreach (var pair in state.Handles)
            {
                if (pair.Value.AcquiredBy is not { } site)
                {
                    continue;
                }

                var entry = sites.TryGetValue(site, out var found) ? found : (pair.Key.Name, pair.Value.Type, new List<Location>(), 0);
                if (pair.Value.Owns)
                {
                    entry.Item3.Add(at);
                }
                else
                {
                    entry.Item4++;
                }

                sites[site] = entry;
            }
        }

        foreach (var pair in sites)
        {
            var (name, type, leaked, released) = pair.Value;
            var location = pair.Key.Syntax.GetLocation();
            if (leaked.Count == 0)
            {
                continue;
            }

            if (released == 0)
            {
                sink.Report(ContractDiagnostics.Leak, location, name, ReleaseHint(pair.Key, type));
                continue;
            }

            foreach (var line in leaked.Select(l => l.GetLineSpan().StartLinePosition.Line + 1).Distinct().OrderBy(l => l))
            {
                sink.Report(ContractDiagnostics.MaybeLeak, location, name, line);
            }
        }
    }

    // The API's own release call for this handle type (e.g. Iommufd.DeviceUnbind), for the message.
    private string ReleaseHint(IOperation site, HandleType type)
    {
        if (site is IInvocationOperation { TargetMethod.ContainingType: { } api })
        {
            foreach (var method in api.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.Parameters.Any(p => ContractSymbols.Has(p, _scope.Symbols.Releases)
                                               && SymbolEqualityComparer.Default.Equals(_scope.Symbols.HandleTypeOf(p.Type)?.Type, type.Type)))
                {
                    return api.Name + "." + method.Name;
                }
            }
        }

        return "its release call";
    }
}
