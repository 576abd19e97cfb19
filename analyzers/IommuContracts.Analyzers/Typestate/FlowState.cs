using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>How the IOAS's usable IOVA ranges stand relative to the method's entry.</summary>
internal enum RangesState
{
    /// <summary>As they were when the method was entered (fresh, as far as this method can tell).</summary>
    AsAtEntry,

    /// <summary>An attach may have narrowed them since they were last read.</summary>
    Stale,

    /// <summary>Read again (IOMMU_IOAS_IOVA_RANGES) since the last change.</summary>
    Fresh,
}

/// <summary>
/// The abstract state at one program point: the facts of every tracked handle, the values that can be tested (bool
/// flags and call results, see <see cref="FlagValue"/>), which variables name the same handle as another (a local copy
/// of a field, a field that stores a local), and whether the IOAS's IOVA ranges may be stale.
/// </summary>
internal sealed class FlowState
{
    public static readonly FlowState Empty = new(
        SmallMap<ISymbol, HandleFacts>.Create(SymbolEqualityComparer.Default),
        SmallMap<object, FlagValue>.Create(ResultKeyComparer.Instance),
        SmallMap<ISymbol, ISymbol>.Create(SymbolEqualityComparer.Default),
        RangesState.AsAtEntry,
        SmallMap<ISymbol, long>.Create(SymbolEqualityComparer.Default));

    /// <summary>The state of a path that cannot run (the false side of a test the analysis knows is true): nothing flows from it.</summary>
    public static readonly FlowState Dead = new(Empty.Handles, Empty.Flags, Empty.Aliases, RangesState.AsAtEntry, Empty.Ints);

    public bool IsDead => ReferenceEquals(this, Dead);

    private FlowState(SmallMap<ISymbol, HandleFacts> handles, SmallMap<object, FlagValue> flags,
        SmallMap<ISymbol, ISymbol> aliases, RangesState ranges, SmallMap<ISymbol, long> ints)
    {
        Ints = ints;
        Handles = handles;
        Flags = flags;
        Aliases = aliases;
        Ranges = ranges;
    }

    /// <summary>The facts of each handle, under the variable that names it first (see <see cref="Canonical"/>).</summary>
    public SmallMap<ISymbol, HandleFacts> Handles { get; }

    /// <summary>Bool variables and call results that say something about the handles, by variable or by call.</summary>
    public SmallMap<object, FlagValue> Flags { get; }

    /// <summary>Variables that hold the same handle as another: alias → the variable whose facts they share.</summary>
    public SmallMap<ISymbol, ISymbol> Aliases { get; }

    public RangesState Ranges { get; }

    /// <summary>
    /// Integer locals holding a known constant (a loop counter before its first test): a loop condition they decide
    /// is not taken the other way (a retry loop runs at least once).
    /// </summary>
    public SmallMap<ISymbol, long> Ints { get; }

    public FlowState WithInt(ISymbol local, long? value)
    {
        if (IsDead)
        {
            return this;
        }

        var ints = value is { } known ? Ints.SetItem(local, known) : Ints.Remove(local);
        return ReferenceEquals(ints, Ints) ? this : new FlowState(Handles, Flags, Aliases, Ranges, ints);
    }

    public bool RangesStale => Ranges == RangesState.Stale;

    /// <summary>The variable whose facts <paramref name="handle"/> shares (itself when it names nothing else).</summary>
    public ISymbol Canonical(ISymbol handle) => Aliases.TryGetValue(handle, out var target) ? target : handle;

    public bool TryGet(ISymbol handle, out HandleFacts facts) => Handles.TryGetValue(Canonical(handle), out facts);

    /// <summary>Sets a handle's facts (through its aliases); a change that holds on every path, so flags see it on both sides.</summary>
    public FlowState With(ISymbol handle, HandleFacts facts)
    {
        if (IsDead)
        {
            return this;
        }

        var key = Canonical(handle);
        return new FlowState(Handles.SetItem(key, facts), ForgetInFlags(key), Aliases, Ranges, Ints);
    }

    /// <summary>Sets the facts of several handles: <see cref="With"/> for each, with one copy of the map.</summary>
    public FlowState WithAll(SmallMap<ISymbol, HandleFacts>.Builder facts)
    {
        if (IsDead || facts.Count == 0)
        {
            return this;
        }

        var handles = Handles.ToBuilder();
        var flags = Flags;
        foreach (var pair in facts)
        {
            var key = Canonical(pair.Key);
            handles[key] = pair.Value;
            foreach (var flag in Flags)
            {
                flags = flags.SetItem(flag.Key, flags[flag.Key].Forget(key));
            }
        }

        return new FlowState(handles.ToImmutable(), flags, Aliases, Ranges, Ints);
    }

    /// <summary>
    /// What a test learned about a handle on this side of a branch: the handle is <paramref name="facts"/> now, and on
    /// each side of the other flags it is what it was there and this (a side where that is nothing cannot be this path).
    /// </summary>
    public FlowState Narrow(ISymbol handle, HandleFacts facts)
    {
        if (IsDead)
        {
            return this;
        }

        var key = Canonical(handle);
        var current = Handles.TryGetValue(key, out var known) ? known : (HandleFacts?)null;
        var flags = Flags;
        foreach (var pair in Flags)
        {
            if (pair.Value.Constant is null)
            {
                flags = flags.SetItem(pair.Key, pair.Value.Meet(key, facts, current));
            }
        }

        return new FlowState(Handles.SetItem(key, facts), flags, Aliases, Ranges, Ints);
    }

    /// <summary>Applies a change that holds whatever the open outcomes (an escape, for instance) to the handle and to the flags' sides.</summary>
    public FlowState Map(ISymbol handle, System.Func<HandleFacts, HandleFacts> change)
    {
        if (IsDead)
        {
            return this;
        }

        var key = Canonical(handle);
        if (!Handles.TryGetValue(key, out var current))
        {
            return this;
        }

        return new FlowState(Handles.SetItem(key, change(current)), MapFlags(key, f => change(f ?? current)), Aliases, Ranges, Ints);
    }

    /// <summary>
    /// <paramref name="variable"/> now holds a new value: it stops naming what it named (its aliases keep that handle),
    /// and gets <paramref name="facts"/> of its own.
    /// </summary>
    public FlowState Assign(ISymbol variable, HandleFacts facts)
    {
        if (IsDead)
        {
            return this;
        }

        var state = Detach(variable);
        return new FlowState(state.Handles.SetItem(variable, facts), state.ForgetInFlags(variable), state.Aliases, Ranges, Ints);
    }

    /// <summary><paramref name="alias"/> now holds the same handle as <paramref name="source"/> (a copy).</summary>
    public FlowState Alias(ISymbol alias, ISymbol source)
    {
        if (IsDead)
        {
            return this;
        }

        var target = Canonical(source);
        if (SymbolEqualityComparer.Default.Equals(target, alias))
        {
            return this;
        }

        var state = Detach(alias);
        var flags = state.Flags;
        foreach (var pair in state.Flags)
        {
            flags = flags.SetItem(pair.Key, pair.Value.Forget(alias));
        }

        return new FlowState(state.Handles.Remove(alias), flags, state.Aliases.SetItem(alias, target), Ranges, Ints);
    }

    // The variable stops naming anything shared: an alias just leaves; a variable others alias hands its facts to them.
    private FlowState Detach(ISymbol variable)
    {
        if (Aliases.ContainsKey(variable))
        {
            return new FlowState(Handles, Flags, Aliases.Remove(variable), Ranges, Ints);
        }

        if (!Aliases.Values.Contains(variable, SymbolEqualityComparer.Default))
        {
            return this;
        }

        var handles = Handles;
        var aliases = Aliases;
        var flags = Flags;
        ISymbol? heir = null;
        foreach (var pair in Aliases)
        {
            if (!SymbolEqualityComparer.Default.Equals(pair.Value, variable))
            {
                continue;
            }

            if (heir is null)
            {
                // The first alias inherits the facts (and the flags' view of them); the others now alias it.
                heir = pair.Key;
                aliases = aliases.Remove(heir);
                if (Handles.TryGetValue(variable, out var facts))
                {
                    handles = handles.SetItem(heir, facts);
                }

                foreach (var flag in Flags)
                {
                    flags = flags.SetItem(flag.Key, flag.Value.MapHandle(heir, f => f ?? facts));
                }
            }
            else
            {
                aliases = aliases.SetItem(pair.Key, heir);
            }
        }

        return new FlowState(handles.Remove(variable), flags, aliases, Ranges, Ints);
    }

    public FlowState WithRanges(RangesState ranges) => ranges == Ranges || IsDead ? this : new FlowState(Handles, Flags, Aliases, ranges, Ints);

    /// <summary>A flag or result assigned a constant (or, with null, forgotten).</summary>
    public FlowState WithFlag(object key, bool? value)
        => IsDead ? this : new(Handles, value is { } known ? Flags.SetItem(key, FlagValue.Of(known)) : Flags.Remove(key), Aliases, Ranges, Ints);

    /// <summary>A result whose outcome is open: the handles' facts when it succeeds and when it fails.</summary>
    public FlowState WithOutcome(object key, SmallMap<ISymbol, HandleFacts> success, SmallMap<ISymbol, HandleFacts> failure)
        => IsDead ? this : new(Handles, Flags.SetItem(key, FlagValue.Correlated(success, failure)), Aliases, Ranges, Ints);

    /// <summary>Another variable now holds what <paramref name="value"/> says (ok = rc == Errno.None; ok2 = ok).</summary>
    public FlowState CopyFlag(object key, FlagValue value) => IsDead ? this : new(Handles, Flags.SetItem(key, value), Aliases, Ranges, Ints);

    /// <summary>The state without the results keyed by a call operation (they are tested, or not, in the call's own block).</summary>
    public FlowState WithoutCallResults()
    {
        var flags = Flags;
        foreach (var pair in Flags)
        {
            if (pair.Key is Microsoft.CodeAnalysis.IOperation)
            {
                flags = flags.Remove(pair.Key);
            }
        }

        return ReferenceEquals(flags, Flags) ? this : new FlowState(Handles, flags, Aliases, Ranges, Ints);
    }

    public FlowState WithoutFlag(object key) => Flags.ContainsKey(key) ? new FlowState(Handles, Flags.Remove(key), Aliases, Ranges, Ints) : this;

    /// <summary>The side of a branch on <paramref name="key"/> where it is <paramref name="value"/>: the handles go back to what they were on those paths.</summary>
    public FlowState AssumeFlag(object key, bool value, bool forget = false)
    {
        if (IsDead)
        {
            return this;
        }

        if (!Flags.TryGetValue(key, out var known))
        {
            return this;
        }

        if (known.Constant is { } constant && constant != value)
        {
            // The flag is known to be the other value here: this side of the branch cannot run.
            return Dead;
        }

        var handles = Handles;
        var flags = forget ? Flags.Remove(key) : Flags.SetItem(key, FlagValue.Of(value));
        if (known.Side(value) is { } side)
        {
            foreach (var pair in side)
            {
                var handle = Canonical(pair.Key);
                var tracked = handles.TryGetValue(handle, out var current);
                if (tracked && current.Equals(pair.Value))
                {
                    continue;
                }

                handles = handles.SetItem(handle, pair.Value);

                // The other flags' sides describe paths this branch may have just left: on each side, the handle is
                // what it was there and what it is here; a side where that is nothing cannot be this path.
                foreach (var other in flags)
                {
                    if (other.Value.Constant is null)
                    {
                        flags = flags.SetItem(other.Key, other.Value.Meet(handle, pair.Value, tracked ? current : (HandleFacts?)null));
                    }
                }
            }
        }

        return new FlowState(handles, flags, Aliases, Ranges, Ints);
    }

    // A change that holds on every path: a side map names only what differs from the path, so the sides stop naming the handle.
    private SmallMap<object, FlagValue> ForgetInFlags(ISymbol handle)
    {
        var flags = Flags;
        foreach (var pair in Flags)
        {
            flags = flags.SetItem(pair.Key, pair.Value.Forget(handle));
        }

        return flags;
    }

    private SmallMap<object, FlagValue> MapFlags(ISymbol handle, System.Func<HandleFacts?, HandleFacts> change)
    {
        var flags = Flags;
        foreach (var pair in Flags)
        {
            if (pair.Value.Constant is null)
            {
                flags = flags.SetItem(pair.Key, pair.Value.MapHandle(handle, change));
            }
        }

        return flags;
    }

    public FlowState Join(FlowState other)
    {
        if (ReferenceEquals(this, other) || other.IsDead)
        {
            return this;
        }

        if (IsDead)
        {
            return other;
        }

        // Aliases both paths agree on stay; where they differ, each variable keeps its own facts.
        var mine = this;
        var theirs = other;
        foreach (var pair in Aliases)
        {
            if (!other.Aliases.TryGetValue(pair.Key, out var target) || !SymbolEqualityComparer.Default.Equals(target, pair.Value))
            {
                mine = mine.Materialize(pair.Key);
            }
        }

        foreach (var pair in other.Aliases)
        {
            if (!Aliases.TryGetValue(pair.Key, out var target) || !SymbolEqualityComparer.Default.Equals(target, pair.Value))
            {
                theirs = theirs.Materialize(pair.Key);
            }
        }

        var handles = mine.Handles;
        foreach (var pair in theirs.Handles)
        {
            handles = handles.TryGetValue(pair.Key, out var facts) ? handles.SetItem(pair.Key, facts.Join(pair.Value)) : handles.SetItem(pair.Key, pair.Value);
        }

        var flags = mine.Flags.Clear();
        foreach (var pair in mine.Flags)
        {
            if (theirs.Flags.TryGetValue(pair.Key, out var value) && pair.Value.Join(mine.Handles, value, theirs.Handles) is { } joined)
            {
                flags = flags.SetItem(pair.Key, joined);
            }
        }

        var ranges = mine.Ranges == theirs.Ranges ? mine.Ranges
            : mine.Ranges == RangesState.Stale || theirs.Ranges == RangesState.Stale ? RangesState.Stale
            : RangesState.AsAtEntry;
        var ints = mine.Ints;
        foreach (var pair in mine.Ints)
        {
            if (!theirs.Ints.TryGetValue(pair.Key, out var value) || value != pair.Value)
            {
                ints = ints.Remove(pair.Key);
            }
        }

        return new FlowState(handles, flags, mine.Aliases, ranges, ints);
    }

    // The alias gets a copy of the facts it shares and stops sharing them.
    private FlowState Materialize(ISymbol alias)
    {
        if (!Aliases.TryGetValue(alias, out var target))
        {
            return this;
        }

        var handles = Handles.TryGetValue(target, out var facts) ? Handles.SetItem(alias, facts) : Handles;
        return new FlowState(handles, Flags, Aliases.Remove(alias), Ranges, Ints);
    }

    public bool SameAs(FlowState other)
    {
        if (Ranges != other.Ranges || Handles.Count != other.Handles.Count || Flags.Count != other.Flags.Count || Aliases.Count != other.Aliases.Count
            || Ints.Count != other.Ints.Count)
        {
            return false;
        }

        foreach (var pair in Ints)
        {
            if (!other.Ints.TryGetValue(pair.Key, out var value) || value != pair.Value)
            {
                return false;
            }
        }

        foreach (var pair in Aliases)
        {
            if (!other.Aliases.TryGetValue(pair.Key, out var target) || !SymbolEqualityComparer.Default.Equals(target, pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in Flags)
        {
            if (!other.Flags.TryGetValue(pair.Key, out var theirs) || !theirs.SameAs(pair.Value))
            {
                return false;
            }
        }

        foreach (var pair in Handles)
        {
            if (!other.Handles.TryGetValue(pair.Key, out var theirs) || !theirs.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The facts of every handle under every name it has here (aliases included).</summary>
    public IEnumerable<KeyValuePair<ISymbol, HandleFacts>> AllNames()
    {
        foreach (var pair in Handles)
        {
            yield return pair;
        }

        foreach (var pair in Aliases)
        {
            if (Handles.TryGetValue(pair.Value, out var facts))
            {
                yield return new KeyValuePair<ISymbol, HandleFacts>(pair.Key, facts);
            }
        }
    }
}
