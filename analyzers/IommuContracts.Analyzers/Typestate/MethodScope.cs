using System.Collections.Generic;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What one analysed body starts from: its owner (method, lambda or local function) and the states the
/// handle fields of its type can be in when a member is entered (absent: nothing known, not checked).
/// </summary>
internal sealed class MethodScope
{
    public MethodScope(ContractSymbols symbols, ISymbol owner, IReadOnlyDictionary<ISymbol, StateSet>? fieldEntryStates)
    {
        Symbols = symbols;
        Owner = owner;
        FieldEntryStates = fieldEntryStates;
    }

    public ContractSymbols Symbols { get; }

    public ISymbol Owner { get; }

    public IReadOnlyDictionary<ISymbol, StateSet>? FieldEntryStates { get; }

    /// <summary>
    /// The facts of a handle the body has not assigned yet: a field is in any state its type ever puts it in
    /// (or unknown), a parameter or a captured local is unknown, an out parameter or an own local not yet
    /// assigned holds nothing.
    /// </summary>
    private StateSet RequiredStates(IParameterSymbol parameter, HandleType type)
    {
        var required = StateSet.Empty;
        var any = false;
        foreach (var attribute in parameter.GetAttributes())
        {
            if (ContractSymbols.Is(attribute, Symbols.RequiresState) && attribute.ConstructorArguments.Length == 1 && !attribute.ConstructorArguments[0].IsNull)
            {
                var allowed = type.SetOf(attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray());
                required = any ? required.Intersect(allowed) : allowed;
                any = true;
            }
        }

        return required;
    }

    public HandleFacts EntryFacts(ISymbol handle, HandleType type)
    {
        switch (handle)
        {
            case IFieldSymbol or IPropertySymbol:
                return FieldEntryStates is not null && FieldEntryStates.TryGetValue(handle, out var states)
                    ? new HandleFacts(type, states, escaped: true)
                    : HandleFacts.UnknownOf(type);
            case IParameterSymbol { RefKind: RefKind.Out }:
                return new HandleFacts(type, StateSet.Of(StateSet.Absent), escaped: true);
            case IParameterSymbol parameter when RequiredStates(parameter, type) is { IsEmpty: false } required:
                // A helper that declares what it requires of its parameter is checked from that state.
                return new HandleFacts(type, required, escaped: true);
            case IParameterSymbol:
                return HandleFacts.UnknownOf(type).AsEscaped();
            case ILocalSymbol local when SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, Owner):
                return new HandleFacts(type, StateSet.Of(StateSet.Absent));
            default:
                return HandleFacts.UnknownOf(type).AsEscaped();
        }
    }
}
