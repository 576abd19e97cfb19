using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What a bool variable says about the handles: a constant on this path, or, after paths that set it
/// differently merged, the handles' facts on the paths where it is true and where it is false. A branch on
/// the flag then restores those facts (the "attached = true; ... if (attached) Detach" idiom).
/// </summary>
internal sealed class FlagValue
{
    private FlagValue(bool? constant, ImmutableDictionary<ISymbol, HandleFacts>? whenTrue, ImmutableDictionary<ISymbol, HandleFacts>? whenFalse)
    {
        Constant = constant;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public bool? Constant { get; }

    public ImmutableDictionary<ISymbol, HandleFacts>? WhenTrue { get; }

    public ImmutableDictionary<ISymbol, HandleFacts>? WhenFalse { get; }

    public static FlagValue Of(bool value) => new(value, null, null);

    public static FlagValue Correlated(ImmutableDictionary<ISymbol, HandleFacts> whenTrue, ImmutableDictionary<ISymbol, HandleFacts> whenFalse) => new(null, whenTrue, whenFalse);

    /// <summary>The facts on the side where the flag has <paramref name="value"/> (null: nothing known).</summary>
    public ImmutableDictionary<ISymbol, HandleFacts>? Side(bool value) => value ? WhenTrue : WhenFalse;

    /// <summary>Merges this path's value (with its handles) and another path's.</summary>
    public FlagValue? Join(ImmutableDictionary<ISymbol, HandleFacts> mine, FlagValue other, ImmutableDictionary<ISymbol, HandleFacts> theirs)
    {
        if (Constant is { } a && other.Constant is { } b)
        {
            return a == b ? this : Correlated(a ? mine : theirs, a ? theirs : mine);
        }

        var myTrue = Constant is { } c ? (c ? mine : null) : WhenTrue;
        var myFalse = Constant is { } d ? (d ? null : mine) : WhenFalse;
        var theirTrue = other.Constant is { } e ? (e ? theirs : null) : other.WhenTrue;
        var theirFalse = other.Constant is { } f ? (f ? null : theirs) : other.WhenFalse;
        var joinedTrue = JoinMaps(myTrue, theirTrue);
        var joinedFalse = JoinMaps(myFalse, theirFalse);
        return joinedTrue is null && joinedFalse is null ? null : new FlagValue(null, joinedTrue, joinedFalse);
    }

    /// <summary>The same flag after a change that holds on every path (so on both sides).</summary>
    public FlagValue MapHandle(ISymbol handle, System.Func<HandleFacts?, HandleFacts> change)
    {
        if (Constant is not null)
        {
            return this;
        }

        return new FlagValue(null, Apply(WhenTrue), Apply(WhenFalse));

        ImmutableDictionary<ISymbol, HandleFacts>? Apply(ImmutableDictionary<ISymbol, HandleFacts>? side)
            => side is null ? null : side.SetItem(handle, change(side.TryGetValue(handle, out var facts) ? facts : null));
    }

    public bool SameAs(FlagValue other)
        => Constant == other.Constant && SameMap(WhenTrue, other.WhenTrue) && SameMap(WhenFalse, other.WhenFalse);

    private static ImmutableDictionary<ISymbol, HandleFacts>? JoinMaps(ImmutableDictionary<ISymbol, HandleFacts>? a, ImmutableDictionary<ISymbol, HandleFacts>? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var joined = a;
        foreach (var pair in b)
        {
            joined = joined.SetItem(pair.Key, joined.TryGetValue(pair.Key, out var mine) ? mine.Join(pair.Value) : pair.Value);
        }

        return joined;
    }

    private static bool SameMap(ImmutableDictionary<ISymbol, HandleFacts>? a, ImmutableDictionary<ISymbol, HandleFacts>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var pair in a)
        {
            if (!b.TryGetValue(pair.Key, out var theirs) || !theirs.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}
