using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The abstract state at one program point: the facts of every tracked handle, the effects still waiting
/// for a result check, and whether the IOAS's IOVA ranges may be stale (an attach or detach happened and
/// they were not read again).
/// </summary>
internal sealed class FlowState
{
    public static readonly FlowState Empty = new(
        ImmutableDictionary.Create<ISymbol, HandleFacts>(SymbolEqualityComparer.Default),
        ImmutableDictionary.Create<object, ImmutableArray<PendingEffect>>(ResultKeyComparer.Instance),
        rangesStale: false,
        ImmutableDictionary.Create<ISymbol, FlagValue>(SymbolEqualityComparer.Default));

    public FlowState(ImmutableDictionary<ISymbol, HandleFacts> handles, ImmutableDictionary<object, ImmutableArray<PendingEffect>> pending, bool rangesStale,
        ImmutableDictionary<ISymbol, FlagValue> flags)
    {
        Handles = handles;
        Pending = pending;
        RangesStale = rangesStale;
        Flags = flags;
    }

    /// <summary>Bool variables that say something about the handles (see <see cref="FlagValue"/>).</summary>
    public ImmutableDictionary<ISymbol, FlagValue> Flags { get; }

    public ImmutableDictionary<ISymbol, HandleFacts> Handles { get; }

    public ImmutableDictionary<object, ImmutableArray<PendingEffect>> Pending { get; }

    public bool RangesStale { get; }

    public bool TryGet(ISymbol handle, out HandleFacts facts) => Handles.TryGetValue(handle, out facts);

    /// <summary>Sets a handle's facts; a handle changed by anything else no longer waits for a result check.</summary>
    public FlowState With(ISymbol handle, HandleFacts facts)
        => new(Handles.SetItem(handle, facts), DropPendingFor(handle), RangesStale, MapFlags(handle, _ => facts));

    /// <summary>
    /// Applies a change that holds whatever the pending outcome (an escape, for instance) to the handle and to
    /// the effects still waiting for it, so a later result check can still narrow it.
    /// </summary>
    public FlowState Map(ISymbol handle, System.Func<HandleFacts, HandleFacts> change)
    {
        if (!Handles.TryGetValue(handle, out var current))
        {
            return this;
        }

        var pending = Pending;
        foreach (var pair in Pending)
        {
            if (pair.Value.Any(e => SymbolEqualityComparer.Default.Equals(e.Handle, handle)))
            {
                pending = pending.SetItem(pair.Key, pair.Value.Select(e => SymbolEqualityComparer.Default.Equals(e.Handle, handle)
                    ? new PendingEffect(e.Handle, change(e.Either), change(e.Success), change(e.Failure))
                    : e).ToImmutableArray());
            }
        }

        return new FlowState(Handles.SetItem(handle, change(current)), pending, RangesStale, MapFlags(handle, f => change(f ?? current)));
    }

    public FlowState WithPending(object key, ImmutableArray<PendingEffect> effects)
    {
        var state = this;
        foreach (var effect in effects)
        {
            state = state.With(effect.Handle, effect.Either);
        }

        return new FlowState(state.Handles, state.Pending.Remove(key).SetItem(key, effects), RangesStale, state.Flags);
    }

    public FlowState WithoutPending(object key) => Pending.ContainsKey(key) ? new FlowState(Handles, Pending.Remove(key), RangesStale, Flags) : this;

    public FlowState WithRangesStale(bool stale) => stale == RangesStale ? this : new FlowState(Handles, Pending, stale, Flags);

    /// <summary>A bool variable assigned a constant (or, with null, anything else).</summary>
    public FlowState WithFlag(ISymbol flag, bool? value)
        => new(Handles, Pending, RangesStale, value is { } known ? Flags.SetItem(flag, FlagValue.Of(known)) : Flags.Remove(flag));

    /// <summary>The side of a branch on <paramref name="flag"/> where it is <paramref name="value"/>: the handles go back to what they were on those paths.</summary>
    public FlowState AssumeFlag(ISymbol flag, bool value)
    {
        if (!Flags.TryGetValue(flag, out var known))
        {
            return this;
        }

        var handles = Handles;
        if (known.Side(value) is { } side)
        {
            foreach (var pair in side)
            {
                handles = handles.SetItem(pair.Key, pair.Value);
            }
        }

        return new FlowState(handles, Pending, RangesStale, Flags.SetItem(flag, FlagValue.Of(value)));
    }

    private ImmutableDictionary<ISymbol, FlagValue> MapFlags(ISymbol handle, System.Func<HandleFacts?, HandleFacts> change)
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

    /// <summary>The branch where the call named by <paramref name="key"/> is known to have succeeded or failed.</summary>
    public FlowState Resolve(object key, bool succeeded)
    {
        if (!Pending.TryGetValue(key, out var effects))
        {
            return this;
        }

        var state = new FlowState(Handles, Pending.Remove(key), RangesStale, Flags);
        foreach (var effect in effects)
        {
            if (state.Handles.TryGetValue(effect.Handle, out var current) && current.Equals(effect.Either))
            {
                var resolved = succeeded ? effect.Success : effect.Failure;
                state = new FlowState(state.Handles.SetItem(effect.Handle, resolved), state.Pending, RangesStale, state.MapFlags(effect.Handle, _ => resolved));
            }
        }

        return state;
    }

    public FlowState Join(FlowState other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var handles = Handles;
        foreach (var pair in other.Handles)
        {
            handles = handles.TryGetValue(pair.Key, out var mine) ? handles.SetItem(pair.Key, mine.Join(pair.Value)) : handles.SetItem(pair.Key, pair.Value);
        }

        // A check can still narrow a handle only if every incoming path waits for the same outcome.
        var pending = Pending;
        foreach (var pair in Pending)
        {
            if (!other.Pending.TryGetValue(pair.Key, out var theirs) || !SameEffects(pair.Value, theirs, handles))
            {
                pending = pending.Remove(pair.Key);
            }
        }

        var flags = Flags.Clear();
        foreach (var pair in Flags)
        {
            if (other.Flags.TryGetValue(pair.Key, out var theirs) && pair.Value.Join(Handles, theirs, other.Handles) is { } joined)
            {
                flags = flags.SetItem(pair.Key, joined);
            }
        }

        return new FlowState(handles, pending, RangesStale || other.RangesStale, flags);
    }

    public bool SameAs(FlowState other)
    {
        if (RangesStale != other.RangesStale || Handles.Count != other.Handles.Count || Pending.Count != other.Pending.Count
            || Flags.Count != other.Flags.Count)
        {
            return false;
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

        return Pending.Keys.All(other.Pending.ContainsKey);
    }

    private static bool SameEffects(ImmutableArray<PendingEffect> mine, ImmutableArray<PendingEffect> theirs, ImmutableDictionary<ISymbol, HandleFacts> joined)
    {
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (var i = 0; i < mine.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(mine[i].Handle, theirs[i].Handle)
                || !mine[i].Success.Equals(theirs[i].Success) || !mine[i].Failure.Equals(theirs[i].Failure)
                || !joined.TryGetValue(mine[i].Handle, out var now) || !now.Equals(mine[i].Either))
            {
                return false;
            }
        }

        return true;
    }

    private ImmutableDictionary<object, ImmutableArray<PendingEffect>> DropPendingFor(ISymbol handle) => RemoveHandle(Pending, handle);

    private static ImmutableDictionary<object, ImmutableArray<PendingEffect>> RemoveHandle(ImmutableDictionary<object, ImmutableArray<PendingEffect>> pending, ISymbol handle)
    {
        foreach (var pair in pending)
        {
            if (pair.Value.Any(e => SymbolEqualityComparer.Default.Equals(e.Handle, handle)))
            {
                var kept = pair.Value.Where(e => !SymbolEqualityComparer.Default.Equals(e.Handle, handle)).ToImmutableArray();
                pending = kept.IsEmpty ? pending.Remove(pair.Key) : pending.SetItem(pair.Key, kept);
            }
        }

        return pending;
    }
}
