using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What one method of the compilation does to the handles it receives, stores and returns, inferred from its body
/// once and applied at every call: per parameter, field of <c>this</c> and captured variable what it requires and
/// what it leaves; its out parameters and return value; whether its result (an Errno or a bool) says which of two
/// sets of effects happened; and what it does to the IOAS's IOVA ranges. See docs/architecture.md.
/// </summary>
internal sealed class MethodSummary
{
    /// <summary>The summary of a method the analysis could not follow (recursion, no body, a failure): every handle it sees becomes unknown.</summary>
    public static readonly MethodSummary Unknown = new(
        ImmutableDictionary.Create<ISymbol, SlotSummary>(SymbolEqualityComparer.Default), null, hasOutcome: false, RangesState.AsAtEntry, isUnknown: true,
        ImmutableArray<ISymbol>.Empty, ImmutableArray<ISymbol>.Empty, ImmutableDictionary<int, (bool, bool)>.Empty, null,
        ImmutableDictionary.Create<ISymbol, bool?>(SymbolEqualityComparer.Default));

    public MethodSummary(ImmutableDictionary<ISymbol, SlotSummary> slots, SlotSummary? returned, bool hasOutcome, RangesState ranges, bool isUnknown,
        ImmutableArray<ISymbol> fieldsAcquired, ImmutableArray<ISymbol> fieldsReleased, ImmutableDictionary<int, (bool, bool)> parameterOutcomes,
        SmallMap<ISymbol, HandleFacts>? thrown, ImmutableDictionary<ISymbol, bool?> flagFields)
    {
        FlagFields = flagFields;
        Thrown = thrown;
        ParameterOutcomes = parameterOutcomes;
        Slots = slots;
        Returned = returned;
        HasOutcome = hasOutcome;
        Ranges = ranges;
        IsUnknown = isUnknown;
        FieldsAcquired = fieldsAcquired;
        FieldsReleased = fieldsReleased;
    }

    /// <summary>Per parameter (original definition), field of <c>this</c>, captured variable or out parameter.</summary>
    public ImmutableDictionary<ISymbol, SlotSummary> Slots { get; }

    /// <summary>The handle it returns, if its return type is a handle type.</summary>
    public SlotSummary? Returned { get; }

    /// <summary>Its Errno (or bool) result tells the success exits from the failure exits, and they differ.</summary>
    public bool HasOutcome { get; }

    /// <summary>Stale: it may change the usable IOVA ranges; Fresh: it reads them on every path; AsAtEntry: neither.</summary>
    public RangesState Ranges { get; }

    public bool IsUnknown { get; }

    /// <summary>
    /// Errno or bool parameters whose outcome its own result restates, by ordinal: (the parameter's outcome on its
    /// success exits, on its failure exits). <c>bool Failed(Errno rc)</c> is (false, true); a logging wrapper that
    /// returns its <c>rc</c> is (true, false).
    /// </summary>
    public ImmutableDictionary<int, (bool AtSuccess, bool AtFailure)> ParameterOutcomes { get; }

    /// <summary>
    /// When some path leaves it by an explicit throw (a validation helper): the facts of its inputs there (empty when it
    /// does not touch them). The caller goes on from that throw as from one of its own.
    /// </summary>
    public SmallMap<ISymbol, HandleFacts>? Thrown { get; }

    /// <summary>
    /// Bool (or presence) fields of <c>this</c> it leaves known at every exit (<c>_attached = false</c> in a detach
    /// helper), or, with null, changes on some paths only.
    /// </summary>
    public ImmutableDictionary<ISymbol, bool?> FlagFields { get; }

    /// <summary>Fields of <c>this</c> it acquires a handle into (for IOMMU0017).</summary>
    public ImmutableArray<ISymbol> FieldsAcquired { get; }

    /// <summary>Fields of <c>this</c> whose handle it releases or hands on.</summary>
    public ImmutableArray<ISymbol> FieldsReleased { get; }
}
