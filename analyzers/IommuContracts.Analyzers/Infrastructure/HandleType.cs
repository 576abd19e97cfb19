using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>A type with a declared typestate: its live states and the rules for use after release and leaks.</summary>
internal sealed class HandleType
{
    private HandleType(ITypeSymbol type, string[] states, string useAfterReleaseRule, string leakRule, bool releasedByDispose)
    {
        ReleasedByDispose = releasedByDispose;
        Type = type;
        States = states;
        UseAfterReleaseRule = useAfterReleaseRule;
        LeakRule = leakRule;
    }

    public ITypeSymbol Type { get; }

    public string[] States { get; }

    public string UseAfterReleaseRule { get; }

    public string LeakRule { get; }

    /// <summary>
    /// Released by its own Dispose (a file): disposing again does nothing, and a member of its owner used after the
    /// owner's Dispose is the caller's mistake, so a field of this type left released is no entry state of its owner.
    /// </summary>
    public bool ReleasedByDispose { get; }

    /// <summary>Every live state (no Released / Absent).</summary>
    public StateSet Live => StateSet.FirstN(States.Length);

    /// <summary>Every state a caller can hand a method: the live ones, released, and null.</summary>
    public StateSet AnyEntry => Live.With(StateSet.Released).With(StateSet.Absent);

    /// <summary>How many entry states a handle of this type can have (one row each in an <c>EntryRows</c>).</summary>
    public int RowCount => States.Length + 2;

    /// <summary>The state an entry row stands for: the live states in order, then Released, then Absent.</summary>
    public int StateOfRow(int row) => row < States.Length ? row : row == States.Length ? StateSet.Released : StateSet.Absent;

    /// <summary>The entry row of a state (-1 for a bit that is no state of this type).</summary>
    public int RowOf(int state) => state < States.Length ? state : state == StateSet.Released ? States.Length : state == StateSet.Absent ? States.Length + 1 : -1;

    public int IndexOf(string state) => Array.IndexOf(States, state);

    /// <summary>The states named, as a set (unknown names are ignored).</summary>
    public StateSet SetOf(string[] names)
    {
        var set = StateSet.Empty;
        foreach (var name in names)
        {
            var index = IndexOf(name);
            if (index >= 0)
            {
                set = set.With(index);
            }
        }

        return set;
    }

    public string Describe(StateSet set)
    {
        var names = Enumerable.Range(0, States.Length).Where(set.Contains).Select(i => States[i]).ToList();
        if (set.Contains(StateSet.Released))
        {
            names.Add("released");
        }

        if (set.Contains(StateSet.Absent))
        {
            names.Add("not acquired");
        }

        return names.Count == 0 ? "unknown" : string.Join(" or ", names);
    }

    public static HandleType? Read(ITypeSymbol type, ContractSymbols symbols)
    {
        foreach (var candidate in new[] { type }.Concat(BaseTypes(type)).Concat(type.AllInterfaces))
        {
            if (ContractSymbols.Find(candidate, symbols.Typestate) is not { } attribute)
            {
                continue;
            }

            var states = attribute.ConstructorArguments.Length == 1 && !attribute.ConstructorArguments[0].IsNull
                ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).Take(StateSet.MaxLiveStates).ToArray()
                : Array.Empty<string>();
            var useAfter = attribute.NamedArguments.FirstOrDefault(a => a.Key == "UseAfterReleaseRule").Value.Value as string ?? "IOMMU0002";
            var leak = attribute.NamedArguments.FirstOrDefault(a => a.Key == "LeakRule").Value.Value as string ?? "IOMMU0008";
            return new HandleType(candidate, states, useAfter, leak, HasReleasingDispose(type, symbols));
        }

        return null;
    }

    private static bool HasReleasingDispose(ITypeSymbol type, ContractSymbols symbols)
    {
        foreach (var candidate in new[] { type }.Concat(BaseTypes(type)))
        {
            foreach (var member in candidate.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { Parameters.IsEmpty: true, IsStatic: false } dispose && ContractSymbols.Has(dispose, symbols.Releases))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static System.Collections.Generic.IEnumerable<ITypeSymbol> BaseTypes(ITypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }
}
