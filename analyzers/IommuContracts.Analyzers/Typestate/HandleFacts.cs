using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What the analysis knows about one handle variable at one program point. A handle whose value came from the
/// caller carries <see cref="Rows"/>: its states relative to each state it may have had at entry. <see cref="Unknown"/>
/// means its state came from somewhere the analysis cannot see (code outside the compilation, a field nobody drives):
/// nothing is checked until the method itself establishes a state.
/// </summary>
internal readonly struct HandleFacts : System.IEquatable<HandleFacts>
{
    public HandleFacts(HandleType type, StateSet states, bool unknown = false, bool escaped = false,
        IOperation? acquiredBy = null, string? releasedBy = null, IOperation? uncheckedCall = null, EntryRows? rows = null, bool failurePath = false,
        bool reported = false, bool partial = false, bool shared = false, KeyedStates? keys = null)
    {
        Keys = unknown ? KeyedStates.Untracked : keys ?? KeyedStates.Untracked;
        Shared = escaped && shared;
        Type = type;
        Rows = unknown ? null : rows;
        States = Rows is { } known ? known.Resolved(type) : states;
        Unknown = unknown;
        Escaped = escaped;
        AcquiredBy = acquiredBy;
        ReleasedBy = releasedBy;
        UncheckedCall = uncheckedCall;
        FailurePath = uncheckedCall is not null && failurePath;
        Reported = unknown && reported;
        Partial = !unknown && partial;
    }

    public HandleType Type { get; }

    /// <summary>The handle's keyed sub-states (a device's PASIDs); untracked unless the method knows where they stand.</summary>
    public KeyedStates Keys { get; }

    /// <summary>Every state the handle may be in (for <see cref="Rows"/>, whatever it was at entry).</summary>
    public StateSet States { get; }

    /// <summary>The states per entry state, for a handle that came from the caller (null: this method made it).</summary>
    public EntryRows? Rows { get; }

    public bool Unknown { get; }

    /// <summary>Ownership may have been handed on (stored, returned, passed to code that may keep it).</summary>
    public bool Escaped { get; }

    /// <summary>
    /// Stored in another object (a wrapper's constructor, a collection, another object's field): that object may
    /// change it whenever one of its own methods runs.
    /// </summary>
    public bool Shared { get; }

    /// <summary>The call in this method that acquired the handle (null: not acquired here, nothing to leak).</summary>
    public IOperation? AcquiredBy { get; }

    /// <summary>The call that released it and its line ("DeviceUnbind at line 12"), for messages.</summary>
    public string? ReleasedBy { get; }

    /// <summary>The call whose failure leaves this handle "not acquired" (null after a null test).</summary>
    public IOperation? UncheckedCall { get; }

    /// <summary>The result of <see cref="UncheckedCall"/> was tested, but the path where it failed goes on.</summary>
    public bool FailurePath { get; }

    /// <summary>
    /// Unknown only because a mistake with it was just reported (one report per mistake): on that path it is not
    /// checked again, but where paths merge the others' facts count, so a loop that repeats the mistake still shows it.
    /// </summary>
    public bool Reported { get; }

    /// <summary>
    /// Known only on the paths that did not already go wrong (merged with a path where a mistake was reported): a
    /// violation here is reported as "on some path", since the other path never gets this far.
    /// </summary>
    public bool Partial { get; }

    public static HandleFacts UnknownOf(HandleType type) => new(type, type.Live, unknown: true);

    /// <summary>A handle handed in from outside: every entry state of <paramref name="domain"/> possible.</summary>
    public static HandleFacts Entry(HandleType type, ISymbol slot, StateSet domain, bool isChecked)
        => new(type, StateSet.Empty, escaped: true, rows: EntryRows.Initial(slot, type, domain, isChecked), keys: KeyedStates.AtEntry);

    /// <summary>A transition: every path moves the handle to <paramref name="states"/> (null stays null).</summary>
    public HandleFacts WithStates(StateSet states)
    {
        if (Rows is not { } rows)
        {
            return new HandleFacts(Type, states, unknown: false, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, rows: null, FailurePath, shared: Shared, keys: Keys);
        }

        var current = new StateSet[rows.Count];
        for (var row = 0; row < current.Length; row++)
        {
            var now = rows.Current(row);
            current[row] = now.IsEmpty || now.Resolve(Type.StateOfRow(row)) == StateSet.Of(StateSet.Absent) ? now : states;
        }

        return WithRows(rows.WithCurrent(current));
    }

    /// <summary>The paths on which the handle is in one of <paramref name="keep"/> (a null test, a state query).</summary>
    public HandleFacts Narrowed(StateSet keep)
    {
        if (Rows is not { } rows)
        {
            return new HandleFacts(Type, States.Intersect(keep), Unknown, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, rows: null, FailurePath, Reported, Partial, Shared, Keys);
        }

        var current = new StateSet[rows.Count];
        for (var row = 0; row < current.Length; row++)
        {
            var now = rows.Current(row);
            var narrowed = now.Without(StateSet.AtEntry).Intersect(keep);
            current[row] = now.Contains(StateSet.AtEntry) && keep.Contains(Type.StateOfRow(row)) ? narrowed.With(StateSet.AtEntry) : narrowed;
        }

        return WithRows(rows.WithCurrent(current));
    }

    /// <summary>
    /// The same states, but no longer "untouched": a call of this method left the handle as it was (a failed
    /// attach), so a later mistake with it is this method's, not its caller's.
    /// </summary>
    public HandleFacts Touched()
    {
        if (Rows is not { } rows || !rows.HasUntouched())
        {
            return this;
        }

        var current = new StateSet[rows.Count];
        for (var row = 0; row < current.Length; row++)
        {
            current[row] = rows.Current(row).Resolve(Type.StateOfRow(row));
        }

        return WithRows(rows.WithCurrent(current));
    }

    public HandleFacts WithRows(EntryRows rows) => new(Type, StateSet.Empty, unknown: false, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, rows, FailurePath, partial: Partial, shared: Shared, keys: Keys);

    /// <summary>The same facts with these keyed sub-states.</summary>
    public HandleFacts WithKeys(KeyedStates keys)
        => Unknown || keys.Equals(Keys) ? this : new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, Rows, FailurePath, Reported, Partial, Shared, keys);

    /// <summary>The same facts without entry rows: what a copy into a variable of this method's own starts from.</summary>
    public HandleFacts Concrete() => Rows is null ? this : new HandleFacts(Type, States.Without(StateSet.AtEntry), Unknown, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, rows: null, FailurePath, keys: Keys);

    public HandleFacts AsEscaped(bool shared = false) => new(Type, States, Unknown, escaped: true, AcquiredBy, ReleasedBy, UncheckedCall, Rows, FailurePath, reported: Reported, partial: Partial, shared: shared || Shared, keys: Keys);

    public HandleFacts AsUnknown() => new(Type, Type.Live, unknown: true, Escaped, AcquiredBy, ReleasedBy, uncheckedCall: null);

    public HandleFacts AsPartial() => new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, UncheckedCall, Rows, FailurePath, Reported, partial: true, keys: Keys);

    /// <summary>Not checked any more on this path: a mistake with it was reported here.</summary>
    public HandleFacts AsReported() => new(Type, Type.Live, unknown: true, Escaped, AcquiredBy, ReleasedBy, uncheckedCall: null, reported: true);

    public HandleFacts Released(string by) => WithStates(StateSet.Of(StateSet.Released)).WithReleasedBy(by);

    public HandleFacts Checked() => new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, uncheckedCall: null, Rows, reported: Reported, partial: Partial, shared: Shared, keys: Keys);

    public HandleFacts WithUncheckedCall(IOperation? call, bool failurePath = false) => new(Type, States, Unknown, Escaped, AcquiredBy, ReleasedBy, call, Rows, failurePath, reported: Reported, partial: Partial, shared: Shared, keys: Keys);

    public HandleFacts WithAcquiredBy(IOperation? site) => new(Type, States, Unknown, Escaped, site, ReleasedBy, UncheckedCall, Rows, FailurePath, reported: Reported, partial: Partial, shared: Shared, keys: Keys);

    public HandleFacts WithReleasedBy(string? by) => new(Type, States, Unknown, Escaped, AcquiredBy, by, UncheckedCall, Rows, FailurePath, reported: Reported, partial: Partial, shared: Shared, keys: Keys);

    /// <summary>Holds a live handle this method acquired and still owns.</summary>
    public bool Owns => AcquiredBy is not null && !Escaped && !Unknown && States.Overlaps(Type.Live);

    public HandleFacts Join(HandleFacts other)
    {
        if (Reported != other.Reported)
        {
            var (known, reported) = Reported ? (other, this) : (this, other);
            var merged = reported.Escaped && !known.Escaped ? known.AsEscaped() : known;
            return merged.Unknown ? merged : merged.AsPartial();
        }

        var unknown = Unknown || other.Unknown;
        EntryRows? rows = null;
        var states = States.Union(other.States);
        if (!unknown && (Rows is not null || other.Rows is not null))
        {
            if (Rows is { } mine && other.Rows is { } theirs)
            {
                if (mine.Matches(theirs))
                {
                    rows = mine.Join(theirs);
                }
                else if (mine.HasUntouched() || theirs.HasUntouched())
                {
                    // Two callers' values mixed up: nothing certain is left.
                    unknown = true;
                }
            }
            else
            {
                // One path holds the caller's value, the other one this method made: whatever came in, it may be that.
                var (entry, made) = Rows is { } given ? (given, other.States) : (other.Rows!, States);
                rows = entry.WithEverywhere(made.Without(StateSet.AtEntry));
            }
        }

        return new HandleFacts(
            Type,
            unknown ? Type.Live : states.Without(StateSet.AtEntry),
            unknown,
            Escaped || other.Escaped,
            AcquiredBy ?? other.AcquiredBy,
            ReleasedBy ?? other.ReleasedBy,
            unknown ? null : UncheckedCall ?? other.UncheckedCall,
            rows,
            FailurePath || other.FailurePath,
            Reported && other.Reported,
            Partial || other.Partial,
            Shared || other.Shared,
            Keys.Join(other.Keys));
    }

    /// <summary>No state is possible: the path these facts describe cannot run.</summary>
    public bool Impossible => !Unknown && States.IsEmpty && (Rows is null || !HasViolatedRow(Rows));

    /// <summary>
    /// What holds on paths both facts describe (one flag assumed where another's side said something): the states
    /// both allow; the rest is taken from <paramref name="other"/>, the newer.
    /// </summary>
    public HandleFacts Meet(HandleFacts other)
    {
        if (Unknown || other.Unknown)
        {
            return Unknown ? other : this;
        }

        if (Rows is { } mine && other.Rows is { } theirs && mine.Matches(theirs))
        {
            var current = new StateSet[mine.Count];
            for (var row = 0; row < current.Length; row++)
            {
                current[row] = mine.Current(row).Intersect(theirs.Current(row));
            }

            return other.WithRows(theirs.WithCurrent(current));
        }

        if (Rows is not null || other.Rows is not null)
        {
            return other;
        }

        return new HandleFacts(Type, States.Intersect(other.States), unknown: false, other.Escaped, other.AcquiredBy, other.ReleasedBy,
            other.UncheckedCall, rows: null, other.FailurePath, partial: Partial || other.Partial, keys: other.Keys);
    }

    private static bool HasViolatedRow(EntryRows rows)
    {
        for (var row = 0; row < rows.Count; row++)
        {
            if (rows.Violated(row) is not null)
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(HandleFacts other)
        => States == other.States && Unknown == other.Unknown && Escaped == other.Escaped
           && ReferenceEquals(AcquiredBy, other.AcquiredBy) && ReleasedBy == other.ReleasedBy
           && ReferenceEquals(UncheckedCall, other.UncheckedCall) && FailurePath == other.FailurePath && Reported == other.Reported && Partial == other.Partial && Shared == other.Shared
           && (Rows is null ? other.Rows is null : Rows.Equals(other.Rows)) && Keys.Equals(other.Keys);

    public override bool Equals(object? obj) => obj is HandleFacts other && Equals(other);

    public override int GetHashCode() => States.GetHashCode() ^ (Unknown ? 1 : 0) ^ (Escaped ? 2 : 0);
}
