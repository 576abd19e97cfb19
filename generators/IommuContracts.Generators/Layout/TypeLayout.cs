namespace IommuContracts.Generators.Layout;

/// <summary>Size and alignment of a blittable type, as the C compiler lays it out on a 64-bit target.</summary>
internal readonly struct TypeLayout
{
    public TypeLayout(int size, int alignment)
    {
        Size = size;
        Alignment = alignment;
    }

    public int Size { get; }

    public int Alignment { get; }

    public static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
