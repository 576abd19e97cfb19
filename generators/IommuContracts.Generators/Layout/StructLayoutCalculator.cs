using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Layout;

/// <summary>
/// Computes sizes and field offsets from symbols with the rules of a natural-alignment C layout (which is
/// also what the CLR uses for sequential blittable structs on 64-bit targets), so the generator can emit
/// sizeof and minimum sizes as constants.
/// </summary>
internal static class StructLayoutCalculator
{
    private const int MaxDepth = 16;

    public const int LayoutSequential = 0;
    public const int LayoutExplicit = 2;

    /// <summary>The instance fields of a struct in declaration order.</summary>
    public static IEnumerable<IFieldSymbol> InstanceFields(INamedTypeSymbol type)
        => type.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst);

    /// <summary>Lays out the fields of <paramref name="type"/>; fields of non-blittable types get size 0.</summary>
    public static IReadOnlyList<FieldLayout> LayOutFields(INamedTypeSymbol type, out TypeLayout total)
        => LayOutFields(type, 0, out total);

    /// <summary>The layout of a field type, or null when it is not blittable.</summary>
    public static TypeLayout? LayoutOf(ITypeSymbol type) => LayoutOf(type, 0);

    /// <summary>The LayoutKind value of a source struct's [StructLayout] (sequential when absent).</summary>
    public static int DeclaredLayoutKind(INamedTypeSymbol type, out bool hasPackOrSize)
    {
        hasPackOrSize = false;
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != AttributeNames.StructLayout)
            {
                continue;
            }

            hasPackOrSize = attribute.NamedArguments.Any(a => a.Key is "Pack" or "Size" && a.Value.Value is int value && value != 0);
            // StructLayout has a LayoutKind constructor and a short one.
            return attribute.ConstructorArguments.Length == 1
                ? attribute.ConstructorArguments[0].Value switch
                {
                    int kind => kind,
                    short kind => kind,
                    _ => LayoutSequential,
                }
                : LayoutSequential;
        }

        return LayoutSequential;
    }

    private static List<FieldLayout> LayOutFields(INamedTypeSymbol type, int depth, out TypeLayout total)
    {
        var result = new List<FieldLayout>();
        var isExplicit = DeclaredLayoutKind(type, out _) == LayoutExplicit;
        var cursor = 0;
        var end = 0;
        var alignment = 1;
        foreach (var field in InstanceFields(type))
        {
            // Fixed buffers are pointers to Roslyn and need unsafe code in every stub; [InlineArray] is the supported C array.
            var layout = field.IsFixedSizeBuffer ? null : LayoutOf(field.Type, depth + 1);
            if (layout is not { } known)
            {
                result.Add(new FieldLayout(field, cursor, 0, isBlittable: false));
                continue;
            }

            var offset = isExplicit ? ExplicitOffset(field) : TypeLayout.AlignUp(cursor, known.Alignment);
            result.Add(new FieldLayout(field, offset, known.Size, isBlittable: true));
            cursor = offset + known.Size;
            end = System.Math.Max(end, cursor);
            alignment = System.Math.Max(alignment, known.Alignment);
        }

        // An empty struct still occupies one byte, as in C#.
        total = new TypeLayout(System.Math.Max(1, TypeLayout.AlignUp(end, alignment)), alignment);
        return result;
    }

    private static TypeLayout? LayoutOf(ITypeSymbol type, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
                return new TypeLayout(1, 1);
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
                return new TypeLayout(2, 2);
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Single:
                return new TypeLayout(4, 4);
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Double:
                return new TypeLayout(8, 8);
        }

        if (type is not INamedTypeSymbol named || named.TypeKind is not (TypeKind.Struct or TypeKind.Enum))
        {
            return null;
        }

        if (named.TypeKind == TypeKind.Enum)
        {
            return named.EnumUnderlyingType is { } underlying ? LayoutOf(underlying, depth + 1) : null;
        }

        if (named.IsGenericType || named.SpecialType != SpecialType.None)
        {
            return null;
        }

        // Typed IDs get their single u32 from this generator, so their fields are not visible yet.
        if (HasAttribute(named, AttributeNames.TypedObjectId))
        {
            return new TypeLayout(4, 4);
        }

        // Pack and Size change the layout in ways the C struct does not share.
        DeclaredLayoutKind(named, out var packOrSize);
        if (packOrSize)
        {
            return null;
        }

        var fields = LayOutFields(named, depth, out var total);
        if (fields.Count == 0 || fields.Any(f => !f.IsBlittable))
        {
            return null;
        }

        // [InlineArray(n)] repeats its single field n times (a C array such as __u8 reserved[3]).
        if (FindAttribute(named, AttributeNames.InlineArray) is { ConstructorArguments.Length: 1 } inline
            && inline.ConstructorArguments[0].Value is int count)
        {
            return fields.Count == 1 && count > 0
                ? new TypeLayout(TypeLayout.AlignUp(fields[0].Size * count, total.Alignment), total.Alignment)
                : null;
        }

        return total;
    }

    private static int ExplicitOffset(IFieldSymbol field)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AttributeNames.FieldOffset
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is int offset)
            {
                return offset;
            }
        }

        return 0;
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
        => symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);
}
