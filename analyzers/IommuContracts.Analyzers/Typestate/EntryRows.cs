using System;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What became of a handle whose value came from outside the method (a parameter, a field of <c>this</c>, a captured
/// variable), for each state it may have had at entry: one row per entry state, holding the states it may be in now
/// (<see cref="StateSet.AtEntry"/>: still untouched) and, when some path already broke a requirement because of that
/// entry state, the rule it broke. A row with no states is a path that cannot have started from that entry state.
/// </summary>
/// <remarks>
/// The rows are what a method summary is made of: a helper that detaches when attached maps Attached → Bound and
/// Bound → Bound; one that must be called with an attached device has its Bound row broken on every path (a
/// requirement its callers are checked against). A requirement broken only because of the entry state is the
/// caller's business; one broken because of what the method did is reported in the method.
/// </remarks>
internal sealed class EntryRows : IEquatable<EntryRows>
{
    private readonly StateSet[] _current;
    private readonly string?[] _violated;

    private EntryRows(ISymbol slot, bool isChecked, StateSet[] current, string?[] violated)
    {
        Slot = slot;
        IsChecked = isChecked;
        _current = current;
        _violated = violated;
    }

    /// <summary>Whose entry value the rows are keyed by.</summary>
    public ISymbol Slot { get; }

    /// <summary>
    /// The entry states are known to be possible (a declared [RequiresState], a field's states at the other members'
    /// exits): a requirement they break is reported here, not left to the callers.
    /// </summary>
    public bool IsChecked { get; }

    public int Count => _current.Length;

    public StateSet Current(int row) => _current[row];

    public string? Violated(int row) => _violated[row];

    /// <summary>Rows for every state of <paramref name="domain"/>, each still at entry.</summary>
    public static EntryRows Initial(ISymbol slot, HandleType type, StateSet domain, bool isChecked)
    {
        var current = new StateSet[type.RowCount];
        for (var row = 0; row < current.Length; row++)
        {
            current[row] = domain.Contains(type.StateOfRow(row)) ? StateSet.Of(StateSet.AtEntry) : StateSet.Empty;
        }

        return new EntryRows(slot, isChecked, current, new string?[current.Length]);
    }

    /// <summary>Rows with the same entry states and violations and the given current states.</summary>
    public EntryRows WithCurrent(StateSet[] current) => new(Slot, IsChecked, current, _violated);

    /// <summary>These rows with one row's current states replaced and the rule it broke recorded.</summary>
    public EntryRows WithViolation(int row, StateSet current, string rule)
    {
        // New arrays and copies rather than Array.Clone, about twice as slow for arrays this small.
        var states = new StateSet[_current.Length];
        var violated = new string?[_violated.Length];
        Array.Copy(_current, states, states.Length);
        Array.Copy(_violated, violated, violated.Length);
        states[row] = current;
        violated[row] ??= rule;
        return new EntryRows(Slot, IsChecked, states, violated);
    }

    /// <summary>These rows with <paramref name="states"/> possible whatever the entry state was.</summary>
    public EntryRows WithEverywhere(StateSet states)
    {
        var current = new StateSet[_current.Length];
        for (var row = 0; row < current.Length; row++)
        {
            current[row] = _current[row].Union(states);
        }

        return new EntryRows(Slot, IsChecked, current, _violated);
    }

    /// <summary>The same rows, but no longer checked where they stand (the value moved to a variable of this method's own).</summary>
    public EntryRows Unchecked() => IsChecked ? new EntryRows(Slot, false, _current, _violated) : this;

    /// <summary>Every state the handle may be in now, whatever it was at entry.</summary>
    public StateSet Resolved(HandleType type)
    {
        var states = StateSet.Empty;
        for (var row = 0; row < _current.Length; row++)
        {
            states = states.Union(_current[row].Resolve(type.StateOfRow(row)));
        }

        return states;
    }

    /// <summary>Whether some row still holds the untouched entry value.</summary>
    public bool HasUntouched()
    {
        foreach (var current in _current)
        {
            if (current.Contains(StateSet.AtEntry))
            {
                return true;
            }
        }

        return false;
    }

    public EntryRows Join(EntryRows other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var current = new StateSet[_current.Length];
        var violated = new string?[_current.Length];
        for (var row = 0; row < current.Length; row++)
        {
            current[row] = _current[row].Union(other._current[row]);
            violated[row] = _violated[row] ?? other._violated[row];
        }

        return new EntryRows(Slot, IsChecked && other.IsChecked, current, violated);
    }

    /// <summary>Whether two rows can be joined row by row (the same slot and type).</summary>
    public bool Matches(EntryRows other)
        => _current.Length == other._current.Length && SymbolEqualityComparer.Default.Equals(Slot, other.Slot);

    public bool Equals(EntryRows? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || IsChecked != other.IsChecked || !Matches(other))
        {
            return false;
        }

        for (var row = 0; row < _current.Length; row++)
        {
            if (_current[row] != other._current[row] || _violated[row] != other._violated[row])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is EntryRows other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var current in _current)
        {
            hash = (hash * 31) + current.GetHashCode();
        }

        return hash;
    }
}
