using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Forms a body's summary from its exits: for each handle it can see (parameters, fields of <c>this</c>, captured
/// variables) the join of its facts over the success exits and over the failure exits, the entry states that break a
/// requirement on every path (the body's requirements), whether some path hands it on; its out parameters and return
/// value; its effect on the IOVA ranges. Exits by an explicit throw are kept apart (the caller's throw path).
/// </summary>
internal static class SummaryBuilder
{
    public static MethodSummary Build(MethodScope scope, TypestateWalker walker, List<MethodExit> exits, bool returnsOutcome, bool returnsHandle)
    {
        if (scope.Owner is not IMethodSymbol owner)
        {
            return MethodSummary.Unknown;
        }

        var normal = exits.Where(e => !e.Thrown).ToList();
        var hasOutcome = returnsOutcome && normal.Any(e => e.Succeeded is not null);
        var success = normal.Where(e => e.Succeeded != false).ToList();
        var failure = hasOutcome ? normal.Where(e => e.Succeeded != true).ToList() : success;

        var slots = ImmutableDictionary.CreateBuilder<ISymbol, SlotSummary>(SymbolEqualityComparer.Default);
        foreach (var parameter in owner.Parameters)
        {
            if (walker.Resolver.HandleTypeOf(parameter) is { } type)
            {
                slots[parameter.OriginalDefinition] = Slot(parameter, type, walker, normal, success, failure, byValue: parameter.RefKind is RefKind.None or RefKind.In);
            }
        }

        foreach (var symbol in Implicit(owner, normal))
        {
            if (!slots.ContainsKey(symbol) && walker.Resolver.HandleTypeOf(symbol) is { } type)
            {
                slots[symbol] = Slot(symbol, type, walker, normal, success, failure, byValue: false);
            }
        }

        SlotSummary? returned = null;
        if (returnsHandle && walker.Scope.Symbols.HandleTypeOf(owner.ReturnType) is { } returnType)
        {
            var facts = Join(normal.Where(e => e.Returned is not null).Select(e => e.Returned!.Value));
            returned = new SlotSummary(returnType, facts, facts, requires: null, handsOn: false);
        }

        var ranges = normal.Any(e => e.State.Ranges == RangesState.Stale) ? RangesState.Stale
            : normal.Count > 0 && normal.All(e => e.State.Ranges == RangesState.Fresh) ? RangesState.Fresh
            : RangesState.AsAtEntry;
        SmallMap<ISymbol, HandleFacts>? thrown = null;
        var throws = exits.Where(e => e.Thrown).ToList();
        if (throws.Count > 0)
        {
            var facts = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
            foreach (var symbol in slots.Keys)
            {
                if (symbol is not IParameterSymbol { RefKind: RefKind.Out } && Join(throws.Select(e => walker.FactsOf(e.State, symbol))) is { } joined)
                {
                    facts[symbol] = joined;
                }
            }

            thrown = facts.ToImmutable();
        }

        return new MethodSummary(slots.ToImmutable(), returned, hasOutcome, ranges, isUnknown: false,
            walker.FieldsAcquired.ToImmutableArray(), walker.FieldsReleased.ToImmutableArray(),
            hasOutcome ? ParameterOutcomes(owner, walker, normal) : ImmutableDictionary<int, (bool, bool)>.Empty, thrown, FlagFields(owner, normal));
    }

    // Bool or presence fields of this the body leaves as one constant at every exit (null: a constant on some exits only).
    private static ImmutableDictionary<ISymbol, bool?> FlagFields(IMethodSymbol owner, List<MethodExit> exits)
    {
        var fields = ImmutableDictionary.Create<ISymbol, bool?>(SymbolEqualityComparer.Default);
        if (owner.IsStatic || exits.Count == 0)
        {
            return fields;
        }

        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var exit in exits)
        {
            foreach (var key in exit.State.Flags.Keys)
            {
                if (key is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false })
                {
                    seen.Add((ISymbol)key);
                }
            }
        }

        foreach (var field in seen)
        {
            bool? common = null;
            var constantEverywhere = true;
            var constantSomewhere = false;
            foreach (var exit in exits)
            {
                if (exit.State.Flags.TryGetValue(field, out var flag) && flag.Constant is { } value)
                {
                    constantSomewhere = true;
                    if (common is { } known && known != value)
                    {
                        constantEverywhere = false;
                    }

                    common = value;
                }
                else
                {
                    constantEverywhere = false;
                }
            }

            if (constantEverywhere)
            {
                fields = fields.Add(field, common);
            }
            else if (constantSomewhere)
            {
                fields = fields.Add(field, null);
            }
        }

        return fields;
    }

    // An Errno or bool parameter whose outcome is the same constant at every success exit and the opposite at every
    // failure exit: the result restates it.
    private static ImmutableDictionary<int, (bool, bool)> ParameterOutcomes(IMethodSymbol owner, TypestateWalker walker, List<MethodExit> exits)
    {
        var outcomes = ImmutableDictionary<int, (bool, bool)>.Empty;
        foreach (var parameter in owner.Parameters)
        {
            if (parameter.RefKind != RefKind.None || !walker.IsResultOrFlag(parameter.Type))
            {
                continue;
            }

            bool? atSuccess = null, atFailure = null;
            var consistent = true;
            foreach (var exit in exits)
            {
                if (exit.Succeeded is not { } succeeded || !exit.State.Flags.TryGetValue(parameter, out var flag) || flag.Constant is not { } value
                    || (succeeded ? atSuccess : atFailure) is { } seen && seen != value)
                {
                    consistent = false;
                    break;
                }

                if (succeeded)
                {
                    atSuccess = value;
                }
                else
                {
                    atFailure = value;
                }
            }

            if (consistent && atSuccess is { } s && atFailure is { } f && s != f)
            {
                outcomes = outcomes.Add(parameter.Ordinal, (s, f));
            }
        }

        return outcomes;
    }

    private static SlotSummary Slot(ISymbol symbol, HandleType type, TypestateWalker walker, List<MethodExit> normal, List<MethodExit> success, List<MethodExit> failure, bool byValue)
    {
        var all = Join(normal.Select(e => walker.FactsOf(e.State, symbol)));
        var onSuccess = Join(success.Select(e => walker.FactsOf(e.State, symbol)));
        var onFailure = Join(failure.Select(e => walker.FactsOf(e.State, symbol)));
        if (byValue && all is { Unknown: false } facts && !(facts.Rows is { } rows && SymbolEqualityComparer.Default.Equals(rows.Slot, symbol)))
        {
            // The parameter was given another value: what became of the caller's handle is not followed.
            onSuccess = onFailure = HandleFacts.UnknownOf(type);
        }

        string?[]? requires = null;
        if (all is { Rows: { } joined } && SymbolEqualityComparer.Default.Equals(joined.Slot, symbol))
        {
            for (var row = 0; row < joined.Count; row++)
            {
                if (joined.Current(row).IsEmpty && joined.Violated(row) is { } rule)
                {
                    requires ??= new string?[joined.Count];
                    requires[row] = rule;
                }
            }
        }

        return new SlotSummary(type, onSuccess, onFailure, requires, walker.HandedOn.Contains(symbol), walker.ReleasedSlots.Contains(symbol));
    }

    // Fields of this and captured variables the body leaves in some state.
    private static IEnumerable<ISymbol> Implicit(IMethodSymbol owner, List<MethodExit> exits)
    {
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var exit in exits)
        {
            foreach (var pair in exit.State.AllNames())
            {
                var symbol = pair.Key;
                var visible = symbol switch
                {
                    IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false } => !owner.IsStatic,
                    ILocalSymbol local => !SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, owner),
                    IParameterSymbol parameter => !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, owner),
                    _ => false,
                };
                if (visible && seen.Add(symbol))
                {
                    yield return symbol;
                }
            }
        }
    }

    private static HandleFacts? Join(IEnumerable<HandleFacts> facts)
    {
        HandleFacts? joined = null;
        foreach (var item in facts)
        {
            joined = joined is { } sofar ? sofar.Join(item) : item;
        }

        return joined;
    }
}
