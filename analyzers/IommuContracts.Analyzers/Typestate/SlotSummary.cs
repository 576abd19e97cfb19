using IommuContracts.Analyzers.Infrastructure;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What a method does to one handle it can see or give back: a parameter, a field of <c>this</c>, a variable a local
/// function captures, an out parameter, the return value. The exit facts are in the method's own terms: rows keyed by
/// one of its inputs (the caller's value, transformed), or a handle it made itself (acquired, null, unknown).
/// </summary>
internal sealed class SlotSummary
{
    public SlotSummary(HandleType type, HandleFacts? success, HandleFacts? failure, string?[]? requires, bool handsOn, bool releases = false)
    {
        Releases = releases;
        Type = type;
        Success = success;
        Failure = failure;
        Requires = requires;
        HandsOn = handsOn;
    }

    public HandleType Type { get; }

    /// <summary>The facts at the exits where the method succeeded (all exits when it has no outcome); null: none returns.</summary>
    public HandleFacts? Success { get; }

    /// <summary>The facts at the exits where it failed.</summary>
    public HandleFacts? Failure { get; }

    /// <summary>
    /// For an input, per entry row: the rule every path breaks when the handle comes in that state (a requirement the
    /// caller is checked against), or null.
    /// </summary>
    public string?[]? Requires { get; }

    /// <summary>Some path stores, returns or passes on the caller's handle: ownership may have moved.</summary>
    public bool HandsOn { get; }

    /// <summary>Some path releases or hands on the caller's handle (even if it then forgets it: <c>idev = null</c> through a ref).</summary>
    public bool Releases { get; }

    /// <summary>Whether the method may leave the handle in a state the analysis cannot follow.</summary>
    public bool MakesUnknown => Success is { Unknown: true } || Failure is { Unknown: true };

    /// <summary>The states the callee does not accept, grouped by the rule it breaks, as (allowed states, rule) requirements.</summary>
    public System.Collections.Generic.List<(StateSet Allowed, string Rule)> Requirements()
    {
        var requirements = new System.Collections.Generic.List<(StateSet, string)>();
        if (Requires is null)
        {
            return requirements;
        }

        for (var row = 0; row < Requires.Length; row++)
        {
            if (Requires[row] is not { } rule || requirements.Exists(r => r.Item2 == rule))
            {
                continue;
            }

            var allowed = Type.AnyEntry;
            for (var other = 0; other < Requires.Length; other++)
            {
                if (Requires[other] == rule)
                {
                    allowed = allowed.Without(Type.StateOfRow(other));
                }
            }

            requirements.Add((allowed, rule));
        }

        return requirements;
    }
}
