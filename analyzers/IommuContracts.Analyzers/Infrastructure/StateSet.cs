using System;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// A set of abstract states of one handle: up to 28 live states, plus Released and Absent (never acquired / null).
/// For a handle whose value came from the caller, <see cref="AtEntry"/> stands for "still whatever it was when the
/// method was entered" (see <c>EntryRows</c>).
/// </summary>
internal readonly struct StateSet : IEquatable<StateSet>
{
    public const int MaxLiveStates = 28;
    public const int AtEntry = 29;
    public const int Released = 30;
    public const int Absent = 31;

    private readonly uint _bits;

    private StateSet(uint bits) => _bits = bits;

    public static StateSet Empty => default;

    public bool IsEmpty => _bits == 0;

    public static StateSet Of(int state) => new(1u << state);

    public static StateSet FirstN(int count) => new(count >= 32 ? uint.MaxValue : (1u << count) - 1);

    public bool Contains(int state) => (_bits & (1u << state)) != 0;

    public StateSet With(int state) => new(_bits | (1u << state));

    public StateSet Without(int state) => new(_bits & ~(1u << state));

    public StateSet Union(StateSet other) => new(_bits | other._bits);

    public StateSet Intersect(StateSet other) => new(_bits & other._bits);

    public StateSet Except(StateSet other) => new(_bits & ~other._bits);

    public bool IsSubsetOf(StateSet other) => (_bits & ~other._bits) == 0;

    public bool Overlaps(StateSet other) => (_bits & other._bits) != 0;

    /// <summary>The set with <see cref="AtEntry"/> replaced by the entry state it stands for.</summary>
    public StateSet Resolve(int entry) => Contains(AtEntry) ? Without(AtEntry).With(entry) : this;

    /// <summary>The states in the set, lowest first.</summary>
    public System.Collections.Generic.IEnumerable<int> Members()
    {
        for (var state = 0; state < 32; state++)
        {
            if (Contains(state))
            {
                yield return state;
            }
        }
    }

    public bool Equals(StateSet other) => _bits == other._bits;

    public override bool Equals(object? obj) => obj is StateSet other && Equals(other);

    public override int GetHashCode() => (int)_bits;

    public static bool operator ==(StateSet left, StateSet right) => left.Equals(right);

    public static bool operator !=(StateSet left, StateSet right) => !left.Equals(right);
}
