using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What one analysed body starts from: its owner (method, lambda or local function), where callees' summaries come
/// from, and the states the handle fields of its type can be in when a member is entered.
/// </summary>
/// <remarks>
/// Without field entry states (a summary, a local function), a field of <c>this</c> starts as "whatever the caller left
/// it in", like a parameter; with them (the report of a member of a type that drives its fields), it starts in the
/// states the other members leave it in, and a requirement one of them breaks is reported here.
/// </remarks>
internal sealed class MethodScope
{
    public MethodScope(ContractSymbols symbols, ISymbol owner, IReadOnlyDictionary<ISymbol, StateSet>? fieldEntryStates,
        SummaryCache? summaries, LocalFunctionGraphs? localFunctions, CancellationToken cancellation, FieldFlags? fieldFlags = null,
        MemberSummaries? members = null, FieldDependence? dependence = null)
    {
        Dependence = dependence;
        Members = members;
        FieldFlags = fieldFlags;
        Symbols = symbols;
        Owner = owner;
        FieldEntryStates = fieldEntryStates;
        Summaries = summaries;
        LocalFunctions = localFunctions;
        Cancellation = cancellation;
    }

    public ContractSymbols Symbols { get; }

    public ISymbol Owner { get; }

    /// <summary>Null: fields start at "whatever the caller left" (summary); otherwise the states the type's members leave them in.</summary>
    public IReadOnlyDictionary<ISymbol, StateSet>? FieldEntryStates { get; }

    /// <summary>With <see cref="FieldEntryStates"/>: what the type's bool fields say about its handle fields at entry.</summary>
    public FieldFlags? FieldFlags { get; }

    public SummaryCache? Summaries { get; }

    /// <summary>With <see cref="FieldEntryStates"/>: the type's own members summarized from those states, for calls on this.</summary>
    public MemberSummaries? Members { get; }

    /// <summary>Told when the body asks what a field pass would answer differently (a summary analysis keeps one).</summary>
    public FieldDependence? Dependence { get; }

    /// <summary>The graphs of the local functions of the body being analysed (their summaries are computed from them).</summary>
    public LocalFunctionGraphs? LocalFunctions { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>The scope of a lambda or local function inside this body.</summary>
    public MethodScope Nested(ISymbol owner, bool keepsFieldEntryStates)
        => new(Symbols, owner, keepsFieldEntryStates ? FieldEntryStates : null, Summaries, LocalFunctions, Cancellation, keepsFieldEntryStates ? FieldFlags : null,
            keepsFieldEntryStates ? Members : null, Dependence);

    /// <summary>
    /// The facts of a handle the body has not assigned yet: a parameter, a field or a captured variable holds the
    /// caller's value (one entry row per state it may have); an out parameter or an own local not yet assigned holds nothing.
    /// </summary>
    public HandleFacts EntryFacts(ISymbol handle, HandleType type)
    {
        switch (handle)
        {
            case IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }:
                return HandleFacts.UnknownOf(type).AsEscaped();
            case IFieldSymbol or IPropertySymbol:
                Dependence?.Note();
                if (FieldEntryStates is null)
                {
                    return HandleFacts.Entry(type, handle, type.AnyEntry, isChecked: false);
                }

                return FieldEntryStates.TryGetValue(handle, out var states)
                    ? HandleFacts.Entry(type, handle, states, isChecked: true)
                    : HandleFacts.UnknownOf(type).AsEscaped();
            case IParameterSymbol { RefKind: RefKind.Out }:
                return new HandleFacts(type, StateSet.Of(StateSet.Absent), escaped: true);
            case IParameterSymbol parameter when RequiredStates(parameter, type) is { IsEmpty: false } required:
                // A helper that declares what it requires of its parameter is checked from that state.
                return HandleFacts.Entry(type, handle, required, isChecked: true);
            case IParameterSymbol:
                return HandleFacts.Entry(type, handle, type.AnyEntry, isChecked: false);
            case ILocalSymbol local when SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, Owner):
                return new HandleFacts(type, StateSet.Of(StateSet.Absent));
            case ILocalSymbol:
                // Captured from the enclosing method: the value it has when this body runs.
                return HandleFacts.Entry(type, handle, type.AnyEntry, isChecked: false);
            default:
                return HandleFacts.UnknownOf(type).AsEscaped();
        }
    }

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
}
