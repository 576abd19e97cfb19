using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What a value that can be tested says about the handles: a bool variable (true / false), or the result of a call
/// whose effects depend on its success (an Errno, or a bool a helper returns; "true" is success). It is a constant on
/// this path, or, after paths that set it differently merged (or a call whose outcome is still open), the handles'
/// facts on the side where it is true and where it is false. A branch on it then restores those facts: the "attached =
/// true; ... if (attached) Detach" idiom, <c>if (rc != Errno.None) return rc;</c> after a bind, a retry loop that
/// leaves with the last call's result.
/// </summary>
/// <remarks>A side map names only the handles that differ from the path's current facts; the others are as they are.</remarks>
internal sealed class FlagValue
{
    private FlagValue(bool? constant, SmallMap<ISymbol, HandleFacts>? whenTrue, SmallMap<ISymbol, HandleFacts>? whenFalse)
    {
        Constant = constant;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public bool? Constant { get; }

    public SmallMap<ISymbol, HandleFacts>? WhenTrue { get; }

    public SmallMap<ISymbol, HandleFacts>? WhenFalse { get; }

    public static FlagValue Of(bool value) => new(value, null, null);

    public static FlagValue Correlated(SmallMap<ISymbol, HandleFacts> whenTrue, SmallMap<ISymbol, HandleFacts> whenFalse) => new(null, whenTrue, whenFalse);

    /// <summary>The value of the opposite test (!ok, rc != Errno.None).</summary>
    public FlagValue Negated() => new(Constant is { } constant ? !constant : null, WhenFalse, WhenTrue);

    /// <summary>The facts on the side where the flag has <paramref name="value"/> (null: nothing known).</summary>
    public SmallMap<ISymbol, HandleFacts>? Side(bool value) => value ? WhenTrue : WhenFalse;

    /// <summary>Merges this path's value (with its handles) and another path's.</summary>
    public FlagValue? Join(SmallMap<ISymbol, HandleFacts> mine, FlagValue other, SmallMap<ISymbol, HandleFacts> theirs)
    {
        if (Constant is { } a && other.Constant is { } b && a == b)
        {
            return this;
        }

        var joinedTrue = JoinSides(SideOf(this, true, mine), mine, SideOf(other, true, theirs), theirs);
        var joinedFalse = JoinSides(SideOf(this, false, mine), mine, SideOf(other, false, theirs), theirs);
        return joinedTrue is null && joinedFalse is null ? null : new FlagValue(null, joinedTrue, joinedFalse);
    }

    /// <summary>The same flag after a change that holds on every path (so on both sides).</summary>
    public FlagValue MapHandle(ISymbol handle, System.Func<HandleFacts?, HandleFacts> change)
    {
        // A side that does not name the handle has the path's facts, which the change itself updates.
        if (Constant is not null || (WhenTrue?.ContainsKey(handle) != true && WhenFalse?.ContainsKey(handle) != true))
        {
            return this;
        }

        return new FlagValue(null, Apply(WhenTrue), Apply(WhenFalse));

        SmallMap<ISymbol, HandleFacts>? Apply(SmallMap<ISymbol, HandleFacts>? side)
            => side is not null && side.TryGetValue(handle, out var facts) ? side.SetItem(handle, change(facts)) : side;
    }

    /// <summary>
    /// The same flag on the paths where <paramref name="handle"/> is now <paramref name="facts"/> (another flag was just
    /// assumed): each side keeps what both say; a side left with no possible state is impossible here, so the flag is
    /// the other side's constant.
    /// </summary>
    public FlagValue Meet(ISymbol handle, HandleFacts facts, HandleFacts? current)
    {
        if (Constant is not null)
        {
            return this;
        }

        var onTrue = Narrow(WhenTrue);
        var onFalse = Narrow(WhenFalse);
        if (onTrue is { } t && t.TryGetValue(handle, out var trueFacts) && trueFacts.Impossible)
        {
            return Of(false);
        }

        if (onFalse is { } f && f.TryGetValue(handle, out var falseFacts) && falseFacts.Impossible)
        {
            return Of(true);
        }

        return ReferenceEquals(onTrue, WhenTrue) && ReferenceEquals(onFalse, WhenFalse) ? this : new FlagValue(null, onTrue, onFalse);

        // What the side says of the handle now; where that is the path's new facts, the side need not name it.
        SmallMap<ISymbol, HandleFacts>? Narrow(SmallMap<ISymbol, HandleFacts>? side)
        {
            if (side is null)
            {
                return null;
            }

            var named = side.TryGetValue(handle, out var there);
            var before = named ? there : current;
            var narrowed = before is { } known ? known.Meet(facts) : facts;
            return !narrowed.Impossible && narrowed.Equals(facts) ? side.Remove(handle) : side.SetItem(handle, narrowed);
        }
    }

    /// <summary>The same flag with a handle forgotten on both sides (it now names another object).</summary>
    public FlagValue Forget(ISymbol handle)
        => Constant is not null || (WhenTrue?.ContainsKey(handle) != true && WhenFalse?.ContainsKey(handle) != true)
            ? this
            : new FlagValue(null, WhenTrue?.Remove(handle), WhenFalse?.Remove(handle));

    public bool SameAs(FlagValue other)
        => Constant == other.Constant && SameMap(WhenTrue, other.WhenTrue) && SameMap(WhenFalse, other.WhenFalse);

    // A constant side is the whole path; the other side of a constant is impossible on that path (null).
    private static SmallMap<ISymbol, HandleFacts>? SideOf(FlagValue flag, bool side, SmallMap<ISymbol, HandleFacts> handles)
        => flag.Constant is { } constant ? (constant == side ? SmallMap<ISymbol, HandleFacts>.Create(SymbolEqualityComparer.Default) : null) : flag.Side(side);

    // A handle a side does not name is as it is on that path.
    private static SmallMap<ISymbol, HandleFacts>? JoinSides(
        SmallMap<ISymbol, HandleFacts>? a, SmallMap<ISymbol, HandleFacts> aHandles,
        SmallMap<ISymbol, HandleFacts>? b, SmallMap<ISymbol, HandleFacts> bHandles)
    {
        if (a is null && b is null)
        {
            return null;
        }

        var joined = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        if (a is null || b is null)
        {
            // Only one path can be on this side: its facts, all of them that differ from the join of the paths.
            var (side, handles) = a is null ? (b!, bHandles) : (a, aHandles);
            foreach (var pair in handles)
            {
                joined[pair.Key] = side.TryGetValue(pair.Key, out var facts) ? facts : pair.Value;
            }

            foreach (var pair in side)
            {
                joined[pair.Key] = pair.Value;
            }

            return joined.ToImmutable();
        }

        foreach (var key in Keys(a, b))
        {
            var fromA = a.TryGetValue(key, out var x) ? x : aHandles.TryGetValue(key, out var y) ? y : (HandleFacts?)null;
            var fromB = b.TryGetValue(key, out var z) ? z : bHandles.TryGetValue(key, out var w) ? w : (HandleFacts?)null;
            if (fromA is { } left && fromB is { } right)
            {
                joined[key] = left.Join(right);
            }
            else if ((fromA ?? fromB) is { } only)
            {
                joined[key] = only;
            }
        }

        return joined.ToImmutable();
    }

    private static System.Collections.Generic.IEnumerable<ISymbol> Keys(SmallMap<ISymbol, HandleFacts> a, SmallMap<ISymbol, HandleFacts> b)
    {
        foreach (var key in a.Keys)
        {
            yield return key;
        }

        foreach (var key in b.Keys)
        {
            if (!a.ContainsKey(key))
            {
                yield return key;
            }
        }
    }

    private static bool SameMap(SmallMap<ISymbol, HandleFacts>? a, SmallMap<ISymbol, HandleFacts>? b)
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
