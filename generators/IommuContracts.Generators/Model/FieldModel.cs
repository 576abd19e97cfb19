namespace IommuContracts.Generators.Model;

/// <summary>One field of an ioctl struct: where it lives and what its attributes ask for.</summary>
/// <param name="TypeName">Fully qualified type name.</param>
/// <param name="IntegerTypeName">The C# integer keyword of the field or of its enum's underlying type.</param>
/// <param name="FlagsMask">For checked flags: the bits the enum declares.</param>
/// <param name="RequiredFlag">For a flag-gated tail: the flag that requires it.</param>
/// <param name="OutputTypeName">For an in/out field that comes back narrower: the fully qualified typed ID the stub returns.</param>
internal sealed record FieldModel(
    string Name,
    string TypeName,
    string IntegerTypeName,
    int Offset,
    int Size,
    FieldRole Role,
    ulong FlagsMask,
    ulong RequiredFlag,
    string? MustBeUsedRule,
    string? OutputTypeName)
{
    public bool Has(FieldRole role) => (Role & role) != 0;

    public int End => Offset + Size;
}
