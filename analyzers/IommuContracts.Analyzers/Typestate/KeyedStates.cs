using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The sub-states of one handle, one per key ([StateKey]: the PASIDs of a device), by the name the method gives the
/// key: a constant (<see cref="long"/>) or a variable (a local, a parameter, a field). A key the method cannot name is
/// never looked up; what it does still counts for the keys it may be.
/// </summary>
/// <remarks>
/// Values use the handle type's states, <see cref="StateSet.AtEntry"/> for "as the caller had it" and
/// <see cref="Unknown"/> for "anything: a key this one may be changed in a way the analysis cannot tell". A set with
/// either is never reported; only what the method itself did to a key it names is.
/// </remarks>
internal sealed class KeyedStates : IEquatable<KeyedStates>
{
    /// <summary>The marker bit for "anything" (never a live state: those stop at <see cref="StateSet.MaxLiveStates"/> - 1).</summary>
    public const int Unknown = StateSet.MaxLiveStates;

    private static readonly ImmutableDictionary<object, StateSet> NoKeys = ImmutableDictionary.Create<object, StateSet>(KeyComparer.Instance);

    private KeyedStates(StateSet fallback, StateSet residue, ImmutableDictionary<object, StateSet> named, string? label = null)
    {
        Default = fallback;
        Residue = residue;
        Named = named;
        Label = label;
    }

    /// <summary>What a key is called in messages (the [StateKey] parameter's name, "pasid"), once a call has named one.</summary>
    public string? Label { get; }

    /// <summary>Nothing is known about any key (a handle that came from code the analysis does not see).</summary>
    public static KeyedStates Untracked { get; } = new(StateSet.Of(Unknown), StateSet.Of(Unknown), NoKeys);

    /// <summary>Every key as the caller had it (a parameter, a field at entry): what a summary's keys are relative to.</summary>
    public static KeyedStates AtEntry { get; } = new(StateSet.Of(StateSet.AtEntry), StateSet.Empty, NoKeys);

    /// <summary>The state of every key not named in <see cref="Named"/>.</summary>
    public StateSet Default { get; }

    /// <summary>
    /// The states of keys the method named once but no longer can (a loop variable that moved on, a key it could not
    /// name at all): what "every key" must also account for.
    /// </summary>
    public StateSet Residue { get; }

    /// <summary>The keys the method names, with their states.</summary>
    public ImmutableDictionary<object, StateSet> Named { get; }

    public bool IsUntracked => Default.Contains(Unknown);

    /// <summary>A handle just acquired: every key starts where the handle does (no PASID of a freshly bound device is attached).</summary>
    public static KeyedStates Fresh(int state) => new(StateSet.Of(state), StateSet.Empty, NoKeys);

    /// <summary>Whether nothing about <paramref name="states"/> can be reported (the caller's business, or anything).</summary>
    public static bool IsOpen(StateSet states) => states.Contains(Unknown) || states.Contains(StateSet.AtEntry);

    /// <summary>The states <paramref name="key"/> may be in.</summary>
    public StateSet StateOf(object key)
    {
        if (Named.TryGetValue(key, out var known))
        {
            return known;
        }

        if (!Residue.IsSubsetOf(Default))
        {
            // A key named earlier (or never) may be this one.
            return Default.With(Unknown);
        }

        foreach (var pair in Named)
        {
            if (MayBeSame(key, pair.Key) && pair.Value != Default)
            {
                return Default.With(Unknown);
            }
        }

        return Default;
    }

    /// <summary>
    /// <paramref name="key"/> is now in <paramref name="states"/>; a key that may be the same one may have changed, so
    /// nothing is reported about it any more.
    /// </summary>
    public KeyedStates With(object key, StateSet states, string? label = null)
    {
        var named = Named;
        foreach (var pair in Named)
        {
            if (!KeyComparer.Instance.Equals(pair.Key, key) && MayBeSame(key, pair.Key))
            {
                named = named.SetItem(pair.Key, pair.Value.Union(states).With(Unknown));
            }
        }

        return new KeyedStates(Default, Weakened(Residue, states), named.SetItem(key, states), label ?? Label);
    }

    // The keys named once: a key now in states may be one of them. The same states again (a loop attaching each of
    // its keys) leave what "every key" must check as it was; other states mean nothing certain is left.
    private static StateSet Weakened(StateSet residue, StateSet states)
        => residue.IsEmpty || states.IsSubsetOf(residue) ? residue : residue.Union(states).With(Unknown);

    /// <summary>A key the method cannot name is now in <paramref name="states"/>: it may be any of them.</summary>
    public KeyedStates WithUnnamed(StateSet states, string? label = null)
    {
        if (states.IsEmpty)
        {
            return this;
        }

        var named = Named;
        foreach (var pair in Named)
        {
            named = named.SetItem(pair.Key, pair.Value.Union(states).With(Unknown));
        }

        return new KeyedStates(Default, Residue.IsEmpty ? states : Weakened(Residue, states), named, label ?? Label);
    }

    /// <summary>What a state query (or a test) says about one key: it is in <paramref name="states"/> on this side.</summary>
    public KeyedStates Narrowed(object key, StateSet states, string? label = null) => new(Default, Residue, Named.SetItem(key, states), label ?? Label);

    /// <summary>The variable <paramref name="variable"/> holds another key now: what it named is not named any more.</summary>
    public KeyedStates Forget(ISymbol variable)
    {
        if (!Named.TryGetValue(variable, out var states))
        {
            return this;
        }

        return new KeyedStates(Default, Residue.Union(states.Without(StateSet.AtEntry)), Named.Remove(variable), Label);
    }

    /// <summary>Whether some key is named by <paramref name="variable"/>.</summary>
    public bool Names(ISymbol variable) => Named.ContainsKey(variable);

    public KeyedStates Join(KeyedStates other)
    {
        if (ReferenceEquals(this, other) || Equals(other))
        {
            return this;
        }

        var named = NoKeys;
        foreach (var key in Named.Keys.Concat(other.Named.Keys))
        {
            if (!named.ContainsKey(key))
            {
                named = named.SetItem(key, StateOf(key).Union(other.StateOf(key)));
            }
        }

        return new KeyedStates(Default.Union(other.Default), Residue.Union(other.Residue), named, Label ?? other.Label);
    }

    /// <summary>
    /// These keys, as a callee left them, in its caller's terms: <paramref name="caller"/>'s keys changed by what the
    /// callee did to keys relative to its entry, or (a handle the callee made) the callee's keys renamed.
    /// <paramref name="rename"/> gives the caller's name of a callee's key (null: the caller cannot name it).
    /// </summary>
    public KeyedStates Through(KeyedStates? caller, Func<object, object?> rename)
    {
        if (IsUntracked)
        {
            return Untracked;
        }

        var relative = Default.Contains(StateSet.AtEntry);
        if (relative && (caller is null || Default != StateSet.Of(StateSet.AtEntry)))
        {
            // Relative to nothing the caller has, or the callee's own handle on some paths (a ref it bound again).
            return Untracked;
        }

        var result = relative ? caller! : new KeyedStates(Default, Residue, NoKeys, Label);
        foreach (var pair in Named)
        {
            var renamed = rename(pair.Key);
            var before = renamed is null || !relative ? StateSet.Of(Unknown) : caller!.StateOf(renamed);
            var states = pair.Value.Contains(StateSet.AtEntry) ? pair.Value.Without(StateSet.AtEntry).Union(before) : pair.Value;
            result = renamed is null ? result.WithUnnamed(states.Without(Unknown), Label) : result.With(renamed, states, Label);
        }

        return relative ? result.WithUnnamed(Residue) : result;
    }

    // Two names may be one key unless both are constants (different constants are different keys).
    private static bool MayBeSame(object key, object other) => !(key is long && other is long);

    public bool Equals(KeyedStates? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Default != other.Default || Residue != other.Residue || Named.Count != other.Named.Count || Label != other.Label)
        {
            return false;
        }

        foreach (var pair in Named)
        {
            if (!other.Named.TryGetValue(pair.Key, out var theirs) || theirs != pair.Value)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is KeyedStates other && Equals(other);

    public override int GetHashCode() => Default.GetHashCode() ^ (Residue.GetHashCode() * 31) ^ Named.Count;

    /// <summary>A key's name for a message: the constant, or the variable's name.</summary>
    public static string Describe(object key) => key is ISymbol symbol ? symbol.Name : Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "?";

    /// <summary>Keys compare as constants by value and as variables by symbol.</summary>
    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y)
            => x is ISymbol a ? y is ISymbol b && SymbolEqualityComparer.Default.Equals(a, b) : x is long m && y is long n && m == n;

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
