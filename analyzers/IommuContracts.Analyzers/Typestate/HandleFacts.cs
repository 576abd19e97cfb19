using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What the analysis knows about one handle variable at one program point. <see cref="Unknown"/> means its
/// state came from somewhere the method cannot see (a parameter, a field nobody drives, a captured variable):
/// nothing is checked until the method itself establishes a state.
/// </summary>
internal readonly struct HandleFacts : System.IEquatable<HandleFacts>
{
    public HandleFacts(HandleType type, StateSet states, bool unknown = false, bool escaped = false,
        IOperation? acquiredBy = null, string? releasedBy = null, string? uncheckedCall = null)
    {
        Type = type;
        States = states;
        Unknown = unknown;
        Escaped = escaped;
        AcquiredBy = acquiredBy;
        ReleasedBy = releasedBy;
        UncheckedCall = uncheckedCall;
    }

    public HandleType Type { get; }

    public StateSet States { get; }

    public bool Unknown { get; }

    /// <summary>Ownership may have been handed on (stored, returned, passed to code without a contract).</summary>
    public bool Escaped { get; }

    /// <summary>The call in this method that acquired the handle (null: not acquired here, nothing to leak).</summary>
    public IOperation? AcquiredBy { get; }

    /// <summary>The call that released it, for messages.</summary>
    public string? ReleasedBy { get; }

    /// <summary>The call whose unchecked result this handle's "not acquired" possibility comes from.</summary>
    public string? UncheckedCall { get; }

    public static HandleFacts UnknownOf(HandleType type) => new(type, type.Live, unknown: true);

    public HandleFacts WithStates(StateSet states) => new(Type, states, unknown: false, Escaped, AcquiredBy, ReleasedBy, UncheckedCall);

    public HandleFacts AsEscaped() => new(Type, States, Unknown, escaped: true, AcquiredBy, ReleasedBy, UncheckedCall);

    public HandleFacts AsUnknown() => new(Type, Type.Live, unknown: true, Escaped, AcquiredBy, ReleasedBy, uncheckedCall: null);

    public HandleFacts Released(string by) => new(Type, StateSet.Of(StateSet.Released), unknown: false, Escaped, AcquiredBy, by, uncheckedCall: null);

    public HandleFacts Checked() => new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, uncheckedCall: null);

    public HandleFacts WithUncheckedCall(string? call) => new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, call);

    public HandleFacts WithAcquiredBy(IOperation? site) => new(Type, States, Unknown, Escaped, site, ReleasedBy, UncheckedCall);

    /// <summary>Holds a live handle this method acquired and still owns.</summary>
    public bool Owns => AcquiredBy is not null && !Escaped && !Unknown && States.Overlaps(Type.Live);

    public HandleFacts Join(HandleFacts other) => new(
        Type,
        States.Union(other.States),
        Unknown || other.Unknown,
        Escaped || other.Escaped,
        AcquiredBy ?? other.AcquiredBy,
        ReleasedBy ?? other.ReleasedBy,
        UncheckedCall ?? other.UncheckedCall);

    public bool Equals(HandleFacts other)
        => States == other.States && Unknown == other.Unknown && Escaped == other.Escaped
           && ReferenceEquals(AcquiredBy, other.AcquiredBy) && ReleasedBy == other.ReleasedBy && UncheckedCall == other.UncheckedCall;

    public override bool Equals(object? obj) => obj is HandleFacts other && Equals(other);

    public override int GetHashCode() => States.GetHashCode() ^ (Unknown ? 1 : 0) ^ (Escaped ? 2 : 0);
}
