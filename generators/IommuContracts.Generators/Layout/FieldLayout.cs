using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Layout;

/// <summary>Where one field of a struct lives; <see cref="Size"/> is 0 when the field's type is not blittable.</summary>
internal readonly struct FieldLayout
{
    public FieldLayout(IFieldSymbol field, int offset, int size, bool isBlittable)
    {
        Field = field;
        Offset = offset;
        Size = size;
        IsBlittable = isBlittable;
    }

    public IFieldSymbol Field { get; }

    public int Offset { get; }

    public int Size { get; }

    public bool IsBlittable { get; }
}
