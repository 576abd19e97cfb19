using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Runs the typestate dataflow over one control-flow graph to a fixpoint, keeping what each block's last visit (the one
/// that saw its settled input) reports and records, then replays those in block order: contract violations at calls,
/// handles acquired in the body that some exit (a return or a throw) leaves owned, and the exits the body's summary is
/// made of. Finally regions are analysed once per reason they run (each branch that leaves their try, each throw
/// through them); a catch starts from anything its try saw.
/// </summary>
internal sealed class TypestateAnalysis
{
    // A body whose states keep changing after this many block visits per block is given up on (no reports).
    private const int VisitsPerBlock = 64;

    private static readonly SmallMap<ISymbol, HandleFacts> NoHandles = SmallMap<ISymbol, HandleFacts>.Create(SymbolEqualityComparer.Default);

    private readonly ControlFlowGraph _graph;
    private readonly MethodScope _scope;
    private readonly TypestateWalker _walker;
    private readonly Dictionary<(int Block, int Context), FlowState> _input = new();
    private readonly Dictionary<(int Block, int Context), VisitRecord> _records = new();
    private readonly bool _fieldPassesReport;
    private bool _keepsReports;
    private readonly List<FinallyContext> _contexts = new() { null! };
    private readonly Dictionary<(ControlFlowRegion, BasicBlock, ControlFlowBranch?, int, int, Location?), FinallyContext> _internedContexts = new();
    private readonly Dictionary<int, ControlFlowRegion> _handlerTry = new();
    private readonly bool _returnsOutcome;
    private readonly HandleType? _returnedType;

    private TypestateAnalysis(ControlFlowGraph graph, MethodScope scope, bool keepsReports, bool fieldPassesReport = false)
    {
        _keepsReports = keepsReports;
        _fieldPassesReport = fieldPassesReport;
        _graph = graph;
        _scope = scope;
        _walker = new TypestateWalker(scope, HandleResolver.For(scope.Symbols, graph), graph);
        var returnType = (scope.Owner as IMethodSymbol)?.ReturnType;
        _returnsOutcome = returnType is not null && (returnType.SpecialType == SpecialType.System_Boolean
            || SymbolEqualityComparer.Default.Equals(returnType, scope.Symbols.Errno));
        _returnedType = returnType is null ? null : scope.Symbols.HandleTypeOf(returnType);
        IndexHandlers(graph.Root);
    }

    /// <summary>
    /// Analyses <paramref name="graph"/> (reporting into <paramref name="sink"/>) and the lambdas and local functions
    /// inside it, and returns the body's summary (<see cref="MethodSummary.Unknown"/> when its states do not settle).
    /// With <paramref name="fieldPassesReport"/> (a member of a type whose field passes report it when it depends on
    /// the fields), nothing is reported when the body's entry facts already depend on them (<see cref="MethodScope.Dependence"/>).
    /// </summary>
    public static MethodSummary Run(ControlFlowGraph graph, MethodScope scope, DiagnosticSink sink, bool fieldPassesReport = false)
        => Run(graph, scope, sink, summarize: true, fieldPassesReport);

    /// <summary>Analyses <paramref name="graph"/> and the bodies inside it for their reports only (no summary is formed).</summary>
    public static void Report(ControlFlowGraph graph, MethodScope scope, DiagnosticSink sink) => Run(graph, scope, sink, summarize: false, fieldPassesReport: false);

    private static MethodSummary Run(ControlFlowGraph graph, MethodScope scope, DiagnosticSink sink, bool summarize, bool fieldPassesReport)
    {
        var analysis = new TypestateAnalysis(graph, scope, !sink.Discards, fieldPassesReport);
        var summary = MethodSummary.Unknown;
        if (analysis.Solve())
        {
            var exits = analysis.Report(sink);
            if (summarize)
            {
                summary = SummaryBuilder.Build(scope, analysis._walker, exits, analysis._returnsOutcome, analysis._returnedType is not null);
            }
        }

        if (!analysis._keepsReports)
        {
            // The bodies inside report only (their summaries are formed at their calls): nothing to do for them here.
            return summary;
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            // Analysed the way its summary is (captured variables and fields as the caller leaves them); only the
            // mistakes it makes itself are reported here, the rest at its calls.
            ReportTouching(graph.GetLocalFunctionControlFlowGraph(localFunction), scope.Nested(localFunction, keepsFieldEntryStates: false), sink);
        }

        foreach (var lambda in GraphOperations.All(graph).OfType<IFlowAnonymousFunctionOperation>())
        {
            ReportTouching(graph.GetAnonymousFunctionControlFlowGraph(lambda), scope.Nested(lambda.Symbol, keepsFieldEntryStates: true), sink);
        }

        return summary;
    }

    // A nested body that touches no handle can report nothing (a LINQ predicate over plain values).
    private static void ReportTouching(ControlFlowGraph graph, MethodScope scope, DiagnosticSink sink)
    {
        if (HandleUse.Touches(graph, scope))
        {
            Report(graph, scope, sink);
        }
    }

    // Every handle the body can see but did not create (parameters, fields, captured locals) starts from its
    // entry facts, so that a path which never touches it still contributes them at a merge.
    private FlowState InitialState()
    {
        var state = FlowState.Empty;

        // A bool field of this says what its handle fields are at entry (as the type's members leave them).
        if (_scope.FieldFlags is { } fieldFlags && _scope.FieldEntryStates is { } entry)
        {
            foreach (var pair in fieldFlags.Flags)
            {
                state = StartFlag(state, pair.Key, pair.Value.WhenTrue, pair.Value.WhenFalse, entry);
            }
        }

        // An Errno or bool parameter is a result of the caller's: what this body learns about it, it says of that result.
        if (_scope.Owner is IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.None && _walker.IsResultOrFlag(parameter.Type))
                {
                    state = state.WithOutcome(parameter, NoHandles, NoHandles);
                }
            }
        }

        // Added in one step: the state has no aliases yet, so each handle's entry facts depend on nothing added here.
        var entryFacts = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        foreach (var handle in _walker.Resolver.NamedHandles)
        {
            if (!state.TryGet(handle, out _)
                && !(handle is ILocalSymbol local && SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, _scope.Owner)))
            {
                entryFacts[handle] = _walker.FactsOf(state, handle);
            }
        }

        return state.WithAll(entryFacts);
    }

    private FlowState StartFlag(FlowState state, ISymbol flag, Dictionary<ISymbol, StateSet> whenTrue, Dictionary<ISymbol, StateSet> whenFalse,
        IReadOnlyDictionary<ISymbol, StateSet> entry)
    {
        var possibleTrue = true;
        var possibleFalse = true;
        var onTrue = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        var onFalse = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        foreach (var field in entry.Keys)
        {
            if (_walker.Resolver.HandleTypeOf(field) is not { } type)
            {
                continue;
            }

            var statesTrue = whenTrue.TryGetValue(field, out var t) ? t.Intersect(entry[field]) : StateSet.Empty;
            var statesFalse = whenFalse.TryGetValue(field, out var f) ? f.Intersect(entry[field]) : StateSet.Empty;
            possibleTrue &= !statesTrue.IsEmpty;
            possibleFalse &= !statesFalse.IsEmpty;
            onTrue[field] = HandleFacts.Entry(type, field, statesTrue, isChecked: true);
            onFalse[field] = HandleFacts.Entry(type, field, statesFalse, isChecked: true);
        }

        if (possibleTrue && possibleFalse)
        {
            // Whatever the flag, the handle fields are on one of its sides.
            foreach (var pair in onTrue)
            {
                state = state.With(pair.Key, state.TryGet(pair.Key, out var known) ? known.Meet(pair.Value.Join(onFalse[pair.Key])) : pair.Value.Join(onFalse[pair.Key]));
            }

            return state.WithOutcome(flag, onTrue.ToImmutable(), onFalse.ToImmutable());
        }

        if (!possibleTrue && !possibleFalse)
        {
            return state;
        }

        // Only one value is possible yet: the handle fields start on that side.
        foreach (var pair in possibleTrue ? onTrue : onFalse)
        {
            state = state.With(pair.Key, state.TryGet(pair.Key, out var known) ? known.Meet(pair.Value) : pair.Value);
        }

        return state.WithFlag(flag, possibleTrue);
    }

    /// <summary>The normal exits of <paramref name="graph"/>'s own body (nothing reported), for the type's field fixpoints.</summary>
    public static List<MethodExit>? Exits(ControlFlowGraph graph, MethodScope scope)
    {
        var analysis = new TypestateAnalysis(graph, scope, keepsReports: false);
        return analysis.Solve() ? analysis.Report(DiagnosticSink.Discard) : null;
    }

    private bool Solve()
    {
        var work = new SortedSet<(int, int)> { (0, 0) };
        var visits = new Dictionary<(int, int), int>();
        _input[(0, 0)] = InitialState();
        if (_fieldPassesReport && _scope.Dependence is { Found: true })
        {
            // Seeded from the fields' entry facts: the type's field passes report this body, its reports here go unread.
            _keepsReports = false;
        }

        while (work.Count > 0)
        {
            _scope.Cancellation.ThrowIfCancellationRequested();
            var key = work.Min;
            work.Remove(key);
            visits[key] = visits.TryGetValue(key, out var count) ? count + 1 : 1;
            if (count >= VisitsPerBlock)
            {
                return false;
            }

            var input = _input[key];
            if (!_records.TryGetValue(key, out var record))
            {
                _records[key] = record = new VisitRecord(_keepsReports);
            }

            record.Clear();
            _walker.Record = record;
            foreach (var (target, state) in Transfer(_graph.Blocks[key.Item1], _contexts[key.Item2], input, record.Exits))
            {
                Merge(target, state, work);
            }

            _walker.Record = null;
            if (_handlerTry.Count > 0)
            {
                foreach (var handler in HandlersCovering(key.Item1))
                {
                    Merge((handler, key.Item2), input, work);
                }
            }
        }

        return true;
    }

    // The settled visits' reports and records, in block order (as a walk over the final states would make them).
    private List<MethodExit> Report(DiagnosticSink sink)
    {
        var exits = new List<MethodExit>();
        foreach (var pair in _records.OrderBy(p => p.Key.Block).ThenBy(p => p.Key.Context))
        {
            pair.Value.ReplayInto(sink, _walker, exits);
        }

        sink.Flush();
        if (_keepsReports)
        {
            LeakReport.Report(exits, sink, _scope);
        }

        return exits;
    }

    /// <summary>The block's effect, as ((successor block, context), state) pairs; the exits it reaches go to <paramref name="exits"/>.</summary>
    private List<((int, int) Target, FlowState State)> Transfer(BasicBlock block, FinallyContext? context, FlowState state, List<MethodExit> exits)
    {
        var results = new List<((int, int), FlowState)>();
        foreach (var operation in block.Operations)
        {
            state = _walker.Visit(operation, state);
            ThrowFromCalls(block, context, results, exits);
        }

        state = _walker.Visit(block.BranchValue, state);
        ThrowFromCalls(block, context, results, exits);
        if (block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is { } condition)
        {
            var (whenTrue, whenFalse) = _walker.Refine(condition, state);
            var conditional = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenTrue : whenFalse;
            var fallThrough = block.ConditionKind == ControlFlowConditionKind.WhenTrue ? whenFalse : whenTrue;
            Follow(block, context, block.ConditionalSuccessor, conditional, results, exits);
            Follow(block, context, block.FallThroughSuccessor, fallThrough, results, exits);
        }
        else
        {
            Follow(block, context, block.FallThroughSuccessor, state, results, exits);
        }

        return results;
    }

    // A callee that throws explicitly: its throw leaves this body the way a throw statement here would.
    private void ThrowFromCalls(BasicBlock block, FinallyContext? context, List<((int, int), FlowState)> results, List<MethodExit> exits)
    {
        if (_walker.Throwing.Count == 0)
        {
            return;
        }

        foreach (var (thrown, at) in _walker.Throwing)
        {
            Throw(block, block.EnclosingRegion, context, thrown, results, exits, at.Syntax.GetLocation());
        }

        _walker.Throwing.Clear();
    }

    private void Follow(BasicBlock source, FinallyContext? context, ControlFlowBranch? branch, FlowState state,
        List<((int, int), FlowState)> results, List<MethodExit> exits)
    {
        if (branch is null || state.IsDead)
        {
            return;
        }

        switch (branch.Semantics)
        {
            case ControlFlowBranchSemantics.Throw when IsCompilerThrow(source.BranchValue):
                // The compiler's own throw (SwitchExpressionException when no arm of a switch expression matches):
                // not an error path the author wrote, so not an exit where handles leak.
                return;
            case ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow:
                Throw(source, source.EnclosingRegion, context, state, results, exits);
                return;
            case ControlFlowBranchSemantics.ProgramTermination or ControlFlowBranchSemantics.Error:
                return;
            case ControlFlowBranchSemantics.StructuredExceptionHandling:
                // The end of a finally: go on to wherever the branch or throw that ran it was going.
                if (context is null)
                {
                    return;
                }

                if (context.Branch is { } original)
                {
                    Continue(context.Origin, original, context.FinallyIndex + 1, state, context.Parent, results, exits);
                }
                else if (context.ThrowingFrom is { } region)
                {
                    Throw(context.Origin, region.EnclosingRegion, context.Parent, state, results, exits, context.ThrownAt);
                }

                return;
            default:
                Continue(source, branch, 0, state, context, results, exits);
                return;
        }
    }

    // Runs the branch's finally regions from the index-th on, then reaches its destination.
    private void Continue(BasicBlock source, ControlFlowBranch branch, int finallyIndex, FlowState state, FinallyContext? context,
        List<((int, int), FlowState)> results, List<MethodExit> exits, int threaded = 0)
    {
        if (finallyIndex < branch.FinallyRegions.Length)
        {
            var region = branch.FinallyRegions[finallyIndex];
            var entered = Context(region, source, branch, finallyIndex, null, Outside(context, region), null);
            results.Add(((region.FirstBlockOrdinal, entered.Id), state));
            return;
        }

        if (branch.Destination is not { } destination)
        {
            return;
        }

        if (destination.Kind == BasicBlockKind.Exit)
        {
            AddExits(source, state, exits);

            return;
        }

        var inside = context;
        while (inside is not null && !inside.Contains(destination.Ordinal))
        {
            inside = inside.Parent;
        }

        // A loop condition the state decides (a counter just set to 0 against "< 5"): go straight on, so the
        // loop's exit is not reached without a first iteration.
        if (Decided(destination, state) is { } taken && threaded < MaxThreading)
        {
            var follow = taken == (destination.ConditionKind == ControlFlowConditionKind.WhenTrue) ? destination.ConditionalSuccessor : destination.FallThroughSuccessor;
            if (follow is { Semantics: ControlFlowBranchSemantics.Regular, FinallyRegions.IsEmpty: true })
            {
                Continue(destination, follow, 0, state, inside, results, exits, threaded + 1);
                return;
            }
        }

        results.Add(((destination.Ordinal, inside?.Id ?? 0), state));
    }

    private const int MaxThreading = 4;

    // The value of a block's condition when it only compares an integer local the state knows with a constant.
    private static bool? Decided(BasicBlock block, FlowState state)
    {
        if (block.ConditionKind == ControlFlowConditionKind.None || !block.Operations.IsEmpty || state.Ints.IsEmpty
            || HandleResolver.Strip(block.BranchValue) is not IBinaryOperation binary)
        {
            return null;
        }

        long? Value(IOperation operand) => HandleResolver.Strip(operand) switch
        {
            ILocalReferenceOperation local when state.Ints.TryGetValue(local.Local, out var known) => known,
            { ConstantValue: { HasValue: true, Value: { } constant } } => IntegerConstant.Of(constant),
            _ => null,
        };

        if (Value(binary.LeftOperand) is not { } left || Value(binary.RightOperand) is not { } right)
        {
            return null;
        }

        return binary.OperatorKind switch
        {
            BinaryOperatorKind.LessThan => left < right,
            BinaryOperatorKind.LessThanOrEqual => left <= right,
            BinaryOperatorKind.GreaterThan => left > right,
            BinaryOperatorKind.GreaterThanOrEqual => left >= right,
            BinaryOperatorKind.Equals => left == right,
            BinaryOperatorKind.NotEquals => left != right,
            _ => null,
        };
    }

    // The exception a throw statement names reaches the graph through an implicit conversion to Exception; the one the
    // compiler adds for a switch expression is itself implicit.
    private static bool IsCompilerThrow(IOperation? thrown)
    {
        while (thrown is IConversionOperation { IsImplicit: true } conversion)
        {
            thrown = conversion.Operand;
        }

        return thrown is { IsImplicit: true };
    }

    // An explicit throw: caught by an enclosing try/catch (its handler starts from the try's states), run through an
    // enclosing finally, or out of the method: an exit where everything still owned leaks.
    private void Throw(BasicBlock origin, ControlFlowRegion? from, FinallyContext? context, FlowState state,
        List<((int, int), FlowState)> results, List<MethodExit> exits, Location? at = null)
    {
        for (var region = from; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } parent)
            {
                continue;
            }

            if (parent.Kind is ControlFlowRegionKind.TryAndCatch)
            {
                return;
            }

            if (parent.Kind == ControlFlowRegionKind.TryAndFinally)
            {
                var @finally = parent.NestedRegions[1];
                var entered = Context(@finally, origin, null, 0, parent, Outside(context, @finally), at);
                results.Add(((@finally.FirstBlockOrdinal, entered.Id), state));
                return;
            }
        }

        exits.Add(new MethodExit(state, at ?? ExitLocation(origin, thrown: true), thrown: true, succeeded: null, returned: null));
    }

    // A normal exit; a result that is still open splits it into its success and its failure.
    private void AddExits(BasicBlock source, FlowState state, List<MethodExit> exits)
    {
        var at = ExitLocation(source, thrown: false);
        var returned = source.ConditionKind == ControlFlowConditionKind.None ? source.BranchValue : null;
        if (_returnsOutcome && returned is not null)
        {
            switch (_walker.OutcomeOf(returned, state))
            {
                case (bool constant, _, _):
                    exits.Add(new MethodExit(state, at, thrown: false, constant, null));
                    return;
                case (null, { } key, var negated):
                    exits.Add(new MethodExit(state.AssumeFlag(key, !negated), at, thrown: false, true, null));
                    exits.Add(new MethodExit(state.AssumeFlag(key, negated), at, thrown: false, false, null));
                    return;
            }
        }

        exits.Add(new MethodExit(state, at, thrown: false, null, _returnedType is not null && returned is not null ? _walker.FactsOfValue(returned, state, _returnedType) : null));
    }

    private FinallyContext Context(ControlFlowRegion region, BasicBlock origin, ControlFlowBranch? branch, int index, ControlFlowRegion? throwingFrom, FinallyContext? parent,
        Location? thrownAt)
    {
        var key = (region, origin, branch, index, parent?.Id ?? 0, thrownAt);
        if (!_internedContexts.TryGetValue(key, out var context))
        {
            context = new FinallyContext(_contexts.Count, region, origin, branch, index, throwingFrom, parent, thrownAt);
            _contexts.Add(context);
            _internedContexts[key] = context;
        }

        return context;
    }

    // The context a finally region runs in: the enclosing finally regions that still contain it.
    private static FinallyContext? Outside(FinallyContext? context, ControlFlowRegion region)
    {
        while (context is not null && !context.Contains(region.FirstBlockOrdinal))
        {
            context = context.Parent;
        }

        return context;
    }

    private void Merge((int, int) target, FlowState state, SortedSet<(int, int)> work)
    {
        // A call's result named by the call itself is tested in its own block; it means nothing past it.
        state = state.WithoutCallResults();
        if (!_input.TryGetValue(target, out var existing))
        {
            _input[target] = state;
            work.Add(target);
            return;
        }

        var merged = existing.Join(state);
        if (!merged.SameAs(existing))
        {
            _input[target] = merged;
            work.Add(target);
        }
    }

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

    private void IndexHandlers(ControlFlowRegion region)
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
            IndexHandlers(nested);
        }
    }

    // Where a path leaves: the throw, the return (or the condition of an "if (...) return;"), or the closing brace.
    private Location ExitLocation(BasicBlock source, bool thrown)
    {
        if (source.BranchValue is { } value)
        {
            var syntax = value.Syntax;
            if (thrown && syntax.Parent is ThrowStatementSyntax or ThrowExpressionSyntax)
            {
                syntax = syntax.Parent;
            }
            else if (!thrown && source.ConditionKind == ControlFlowConditionKind.None && syntax.Parent is ReturnStatementSyntax)
            {
                syntax = syntax.Parent;
            }

            return syntax.GetLocation();
        }

        if (thrown && !source.Operations.IsEmpty)
        {
            return source.Operations[source.Operations.Length - 1].Syntax.GetLocation();
        }

        var last = _graph.OriginalOperation.Syntax.GetLastToken();
        return last.GetLocation();
    }
}
