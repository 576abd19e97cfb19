using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The bodies of one type that holds handles in fields, gathered until the whole type has been seen. A field's entry
/// state for a member is any state the type's members (and the lambdas in them, which may run at any time) leave it in
/// at their exits, starting from null: computed from their summaries to a fixpoint, not from the states they pass
/// through. A member whose result says it failed is not gone on from, so only its success exits count. A member that
/// releases the field and leaves it set (no <c>_idev = null</c>) makes "released" an entry state of the others: a
/// second Dispose, a statistics call after remove; except for a handle its own Dispose releases (a file), which may be
/// disposed again and whose owner is not used after its Dispose. Then each member is analysed from those states, and a field that is acquired but released by no member is
/// reported.
/// </summary>
internal sealed class TypeBodies
{
    private readonly object _gate = new();
    private readonly ContractSymbols _symbols;
    private readonly ImmutableArray<ISymbol> _fields;
    private readonly SummaryCache _summaries;
    private readonly List<(ISymbol Owner, ControlFlowGraph Graph)> _bodies = new();

    public TypeBodies(ContractSymbols symbols, ImmutableArray<ISymbol> fields, SummaryCache summaries)
    {
        _symbols = symbols;
        _fields = fields;
        _summaries = summaries;
    }

    /// <summary>The fields and auto-properties of <paramref name="type"/> whose type is a handle type.</summary>
    public static ImmutableArray<ISymbol> HandleFields(INamedTypeSymbol type, ContractSymbols symbols)
        => type.GetMembers()
            .Where(m => m is IFieldSymbol { AssociatedSymbol: null, IsImplicitlyDeclared: false } or IPropertySymbol)
            .Where(m => HandleResolver.TypeOf(m) is { } t && symbols.HandleTypeOf(t) is not null)
            .Where(m => m is not IPropertySymbol property || type.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)))
            .ToImmutableArray();

    public void Add(ISymbol owner, ControlFlowGraph graph)
    {
        lock (_gate)
        {
            _bodies.Add((owner, graph));
        }
    }

    public void Analyze(DiagnosticSink sink, System.Action<ISymbol, System.Exception> failed, CancellationToken cancellation)
    {
        var summaries = new List<MethodSummary>();
        var results = new Dictionary<ISymbol, BodyResult>(SymbolEqualityComparer.Default);
        var acquiring = new Dictionary<ISymbol, ImmutableArray<ISymbol>>(SymbolEqualityComparer.Default);
        foreach (var (owner, graph) in _bodies)
        {
            try
            {
                if (owner is IMethodSymbol method)
                {
                    var result = _summaries.ResultOf(method, graph, cancellation);
                    if (result.Failure is { } failure)
                    {
                        failed(owner, failure);
                        continue;
                    }

                    summaries.Add(result.Summary);
                    results[owner] = result;
                    acquiring[owner] = result.Summary.FieldsAcquired;
                }

                // A lambda may run whenever its holder calls it: what it leaves the fields in counts like a member.
                foreach (var lambda in GraphOperations.All(graph).OfType<IFlowAnonymousFunctionOperation>())
                {
                    var lambdaGraph = graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellation);
                    var scope = new MethodScope(_symbols, lambda.Symbol, fieldEntryStates: null, _summaries, new LocalFunctionGraphs(lambdaGraph), cancellation);
                    if (HandleUse.Touches(lambdaGraph, scope))
                    {
                        summaries.Add(TypestateAnalysis.Run(lambdaGraph, scope, DiagnosticSink.Discard));
                    }
                }
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                failed(owner, exception);
            }
        }

        var acquired = new HashSet<ISymbol>(summaries.SelectMany(s => s.FieldsAcquired), SymbolEqualityComparer.Default);
        var released = new HashSet<ISymbol>(summaries.SelectMany(s => s.FieldsReleased), SymbolEqualityComparer.Default);
        var entry = EntryStates(summaries, acquired);
        var flags = FlagStates(entry, acquiring, failed, cancellation);
        var members = flags is null ? null : new MemberSummaries(_symbols, _summaries, Graphs(), entry, flags, cancellation);
        foreach (var (owner, graph) in _bodies)
        {
            if (flags is null && results.TryGetValue(owner, out var alone) && !alone.DependsOnFields)
            {
                // Nothing in it depends on the fields' entry states: its summary analysis is its report.
                foreach (var diagnostic in alone.Diagnostics)
                {
                    sink.Report(diagnostic);
                }

                continue;
            }

            try
            {
                var scope = new MethodScope(_symbols, owner, entry, _summaries, new LocalFunctionGraphs(graph), cancellation, flags, members);
                TypestateAnalysis.Report(graph, scope, sink);
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                failed(owner, exception);
            }
        }

        foreach (var field in _fields)
        {
            if (acquired.Contains(field) && !released.Contains(field) && field.Locations.FirstOrDefault() is { } location)
            {
                sink.Report(ContractDiagnostics.FieldNeverReleased, location, field.Name, field.ContainingType.Name);
            }
        }
    }

    // From null, every state some member's exit can leave the field in, until nothing changes. Only a type that
    // acquires the field drives its lifecycle; a field filled from outside (or that some member leaves in a state the
    // analysis cannot follow) stays unknown.
    private Dictionary<ISymbol, StateSet> EntryStates(List<MethodSummary> summaries, HashSet<ISymbol> acquired)
    {
        var entry = new Dictionary<ISymbol, StateSet>(SymbolEqualityComparer.Default);
        var unknown = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var field in _fields.Where(acquired.Contains))
        {
            entry[field] = StateSet.Of(StateSet.Absent);
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var summary in summaries)
            {
                foreach (var field in entry.Keys.ToList())
                {
                    if (unknown.Contains(field) || !summary.Slots.TryGetValue(field, out var slot))
                    {
                        continue;
                    }

                    // A member that reports failure leaves the object half made; its caller tears it down rather than
                    // go on (a probe that fails is never removed), so only its success exits count.
                    var reached = entry[field];
                    foreach (var exit in new[] { slot.Success })
                    {
                        if (exit is not { } facts)
                        {
                            continue;
                        }

                        if (facts.Unknown || (facts.Rows is { } other && !SymbolEqualityComparer.Default.Equals(other.Slot, field)))
                        {
                            unknown.Add(field);
                            break;
                        }

                        var left = facts.Rows is { } rows ? Through(entry[field], rows, slot.Type) : facts.States.Without(StateSet.AtEntry);
                        reached = reached.Union(HandleResolver.TypeOf(field) is { } declared && _symbols.HandleTypeOf(declared) is { ReleasedByDispose: true }
                            ? left.Without(StateSet.Released)
                            : left);
                    }

                    if (!unknown.Contains(field) && reached != entry[field])
                    {
                        entry[field] = reached;
                        changed = true;
                    }
                }
            }
        }

        foreach (var field in unknown)
        {
            entry.Remove(field);
        }

        return entry;
    }

    // What the type's bool fields say about its handle fields: from a new object (false, null), the states each handle
    // field is in at the members' success exits while the flag is true and while it is false, run to a fixpoint (a few
    // rounds; only for bool fields some member assigns and another tests).
    private FieldFlags? FlagStates(Dictionary<ISymbol, StateSet> entry, Dictionary<ISymbol, ImmutableArray<ISymbol>> acquiring,
        System.Action<ISymbol, System.Exception> failed, CancellationToken cancellation)
    {
        var bools = BoolFlags();
        if (bools.Count == 0 || entry.Count == 0)
        {
            return null;
        }

        var current = new FieldFlags(bools.ToDictionary(
            b => b,
            b => (new Dictionary<ISymbol, StateSet>(SymbolEqualityComparer.Default),
                  entry.Keys.ToDictionary(f => f, _ => StateSet.Of(StateSet.Absent), (IEqualityComparer<ISymbol>)SymbolEqualityComparer.Default)),
            (IEqualityComparer<ISymbol>)SymbolEqualityComparer.Default));
        var graphs = Graphs();
        for (var round = 0; round < MaxFlagRounds; round++)
        {
            var next = new FieldFlags(current.Flags.ToDictionary(
                p => p.Key,
                p => (new Dictionary<ISymbol, StateSet>(p.Value.WhenTrue, SymbolEqualityComparer.Default), new Dictionary<ISymbol, StateSet>(p.Value.WhenFalse, SymbolEqualityComparer.Default)),
                (IEqualityComparer<ISymbol>)SymbolEqualityComparer.Default));
            foreach (var (owner, graph) in _bodies)
            {
                try
                {
                    // A member that acquires into a field runs when the field is empty (otherwise it would leak what
                    // the field held): it starts there, and on the flags' sides that allow it.
                    var start = entry;
                    if (acquiring.TryGetValue(owner, out var fills) && !fills.IsEmpty)
                    {
                        start = new Dictionary<ISymbol, StateSet>(entry, SymbolEqualityComparer.Default);
                        foreach (var field in fills.Where(entry.ContainsKey))
                        {
                            start[field] = entry[field].Intersect(StateSet.Of(StateSet.Absent));
                        }
                    }

                    var scope = new MethodScope(_symbols, owner, start, _summaries, new LocalFunctionGraphs(graph), cancellation, current,
                        new MemberSummaries(_symbols, _summaries, graphs, entry, current, cancellation));
                    foreach (var exit in TypestateAnalysis.Exits(graph, scope) ?? new List<MethodExit>())
                    {
                        if (!exit.Thrown && exit.Succeeded != false)
                        {
                            Collect(exit.State, next, start);
                        }
                    }
                }
                catch (System.Exception exception) when (exception is not System.OperationCanceledException)
                {
                    failed(owner, exception);
                    return null;
                }
            }

            if (next.SameAs(current))
            {
                return current;
            }

            current = next;
        }

        // Not settled: the flags say nothing.
        return null;
    }

    private const int MaxFlagRounds = 4;

    private Dictionary<ISymbol, ControlFlowGraph> Graphs()
    {
        var graphs = new Dictionary<ISymbol, ControlFlowGraph>(SymbolEqualityComparer.Default);
        foreach (var (owner, graph) in _bodies)
        {
            graphs[owner] = graph;
        }

        return graphs;
    }

    private static void Collect(FlowState state, FieldFlags into, Dictionary<ISymbol, StateSet> entry)
    {
        foreach (var pair in into.Flags)
        {
            var flag = state.Flags.TryGetValue(pair.Key, out var value) ? value : null;
            foreach (var field in entry.Keys)
            {
                // A handle reported on this path says nothing about the fields (the report was a mistake of the path).
                if (state.TryGet(field, out var facts) && facts.Reported)
                {
                    continue;
                }

                var now = state.TryGet(field, out facts) ? facts.States : entry[field];
                if (flag?.Constant is not { } constant)
                {
                    Add(pair.Value.WhenTrue, field, flag?.WhenTrue is { } t && t.TryGetValue(field, out var onTrue) ? onTrue.States : now);
                    Add(pair.Value.WhenFalse, field, flag?.WhenFalse is { } f && f.TryGetValue(field, out var onFalse) ? onFalse.States : now);
                }
                else
                {
                    Add(constant ? pair.Value.WhenTrue : pair.Value.WhenFalse, field, now);
                }
            }
        }
    }

    private static void Add(Dictionary<ISymbol, StateSet> into, ISymbol field, StateSet states)
    {
        states = states.Without(StateSet.AtEntry);
        into[field] = into.TryGetValue(field, out var known) ? known.Union(states) : states;
    }

    // Bool fields and auto-properties of the type that one member assigns and another reads, and nullable ones
    // (a HwptId? kept while attached) that one member assigns and another tests for null.
    private List<ISymbol> BoolFlags()
    {
        var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (_, graph) in _bodies)
        {
            foreach (var operation in GraphOperations.All(graph))
            {
                var symbol = operation switch
                {
                    IFieldReferenceOperation { Field: { IsStatic: false } field } reference when HandleResolver.IsThis(reference.Instance) && IsFlagType(field.Type) => field,
                    IPropertyReferenceOperation { Property: { IsStatic: false } property } reference when HandleResolver.IsThis(reference.Instance) && IsFlagType(property.Type)
                        && reference.Arguments.IsEmpty => (ISymbol)property,
                    _ => null,
                };
                if (symbol is null || !SymbolEqualityComparer.Default.Equals(symbol.ContainingType, _fields.FirstOrDefault()?.ContainingType))
                {
                    continue;
                }

                if (operation.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, operation))
                {
                    assigned.Add(symbol);
                }
                else
                {
                    read.Add(symbol);
                }
            }
        }

        return assigned.Where(read.Contains).ToList();
    }

    // A bool, or a nullable value (Nullable<T>, a reference) that is not itself a handle: its presence can be the flag.
    private bool IsFlagType(ITypeSymbol type)
        => type.SpecialType == SpecialType.System_Boolean
           || (_symbols.HandleTypeOf(type) is null && type.SpecialType != SpecialType.System_String
               && (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)));

    private static StateSet Through(StateSet states, EntryRows rows, HandleType type)
    {
        var reached = StateSet.Empty;
        foreach (var state in states.Members())
        {
            var row = type.RowOf(state);
            if (row >= 0)
            {
                reached = reached.Union(rows.Current(row).Resolve(state));
            }
        }

        return reached;
    }
}
