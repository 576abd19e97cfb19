using System.Collections.Generic;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What a bool field of a type says about its handle fields when a member is entered: per bool field, the states each
/// handle field can be in while it is true and while it is false, as the type's members leave them at their exits (an
/// "_attached" set after the attach and cleared after the detach). A member that tests the flag starts from the
/// matching side.
/// </summary>
internal sealed class FieldFlags
{
    public FieldFlags(Dictionary<ISymbol, (Dictionary<ISymbol, StateSet> WhenTrue, Dictionary<ISymbol, StateSet> WhenFalse)> flags)
        => Flags = flags;

    public Dictionary<ISymbol, (Dictionary<ISymbol, StateSet> WhenTrue, Dictionary<ISymbol, StateSet> WhenFalse)> Flags { get; }

    public bool SameAs(FieldFlags other)
    {
        foreach (var pair in Flags)
        {
            if (!other.Flags.TryGetValue(pair.Key, out var theirs) || !Same(pair.Value.WhenTrue, theirs.WhenTrue) || !Same(pair.Value.WhenFalse, theirs.WhenFalse))
            {
                return false;
            }
        }

        return Flags.Count == other.Flags.Count;
    }

    private static bool Same(Dictionary<ISymbol, StateSet> a, Dictionary<ISymbol, StateSet> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var pair in a)
        {
            if (!b.TryGetValue(pair.Key, out var states) || states != pair.Value)
            {
                return false;
            }
        }

        return true;
    }
}
