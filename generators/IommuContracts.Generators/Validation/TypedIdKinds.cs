using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Layout;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>
/// What a <c>[TypedObjectId]</c> struct says about its kinds: an ID of one kind lists none, an ID of several
/// kinds (<c>[TypedObjectId(typeof(IoasId), typeof(HwptId))]</c>) lists the single-kind IDs it may hold.
/// </summary>
internal static class TypedIdKinds
{
    public static bool IsTypedId(ITypeSymbol? type)
        => type is INamedTypeSymbol named && StructLayoutCalculator.HasAttribute(named, AttributeNames.TypedObjectId);

    /// <summary>A typed ID of exactly one kind (no kinds of its own).</summary>
    public static bool IsSingleKind(ITypeSymbol? type) => IsTypedId(type) && KindsOf((INamedTypeSymbol)type!).Count == 0;

    /// <summary>The kinds listed on the attribute, as written (possibly not typed IDs at all; the reader checks).</summary>
    public static IReadOnlyList<ITypeSymbol?> KindsOf(INamedTypeSymbol type)
    {
        var attribute = StructLayoutCalculator.FindAttribute(type, AttributeNames.TypedObjectId);
        if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array
            || attribute.ConstructorArguments[0].IsNull)
        {
            return System.Array.Empty<ITypeSymbol?>();
        }

        return attribute.ConstructorArguments[0].Values.Select(v => v.Value as ITypeSymbol).ToList();
    }

    /// <summary>Whether a field of type <paramref name="held"/> can hold an ID of the single kind <paramref name="kind"/>.</summary>
    public static bool CanHold(ITypeSymbol held, ITypeSymbol kind)
        => held.ToDisplayString() == "IommuContracts.ObjectId"
           || SymbolEqualityComparer.Default.Equals(held, kind)
           || (held is INamedTypeSymbol named && IsTypedId(named) && KindsOf(named).Any(k => SymbolEqualityComparer.Default.Equals(k, kind)));
}
