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
        rangesStale: false);

    public FlowState(ImmutableDictionary<ISymbol, HandleFacts> handles, ImmutableDictionary<object, ImmutableArray<PendingEffect>> pending, bool rangesStale)
    {
        Handles = handles;
        Pending = pending;
        RangesStale = rangesStale;
    }

    public ImmutableDictionary<ISymbol, HandleFacts> Handles { get; }

    public ImmutableDictionary<object, ImmutableArray<PendingEffect>> Pending { get; }

    public bool RangesStale { get; }

    public bool TryGet(ISymbol handle, out HandleFacts facts) => Handles.TryGetValue(handle, out facts);

    /// <summary>Sets a handle's facts; a handle changed by anything else no longer waits for a result check.</summary>
    public FlowState With(ISymbol handle, HandleFacts facts)
        => new(Handles.SetItem(handle, facts), DropPendingFor(handle), RangesStale);

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

        return new FlowState(Handles.SetItem(handle, change(current)), pending, RangesStale);
    }

    public FlowState WithPending(object key, ImmutableArray<PendingEffect> effects)
    {
        var handles = Handles;
        var pending = Pending.Remove(key);
        foreach (var effect in effects)
        {
            handles = handles.SetItem(effect.Handle, effect.Either);
            pending = RemoveHandle(pending, effect.Handle);
        }

        return new FlowState(handles, pending.SetItem(key, effects), RangesStale);
    }

    public FlowState WithoutPending(object key) => Pending.ContainsKey(key) ? new FlowState(Handles, Pending.Remove(key), RangesStale) : this;

    public FlowState WithRangesStale(bool stale) => stale == RangesStale ? this : new FlowState(Handles, Pending, stale);

    /// <summary>The branch where the call named by <paramref name="key"/> is known to have succeeded or failed.</summary>
    public FlowState Resolve(object key, bool succeeded)
    {
        if (!Pending.TryGetValue(key, out var effects))
        {
            return this;
        }

        var handles = Handles;
        foreach (var effect in effects)
        {
            if (handles.TryGetValue(effect.Handle, out var current) && current.Equals(effect.Either))
            {
                handles = handles.SetItem(effect.Handle, succeeded ? effect.Success : effect.Failure);
            }
        }

        return new FlowState(handles, Pending.Remove(key), RangesStale);
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

        return new FlowState(handles, pending, RangesStale || other.RangesStale);
    }

    public bool SameAs(FlowState other)
    {
        if (RangesStale != other.RangesStale || Handles.Count != other.Handles.Count || Pending.Count != other.Pending.Count)
        {
            return false;
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
