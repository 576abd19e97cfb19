namespace IommuContracts.Contracts;

/// <summary>
/// Marks an empty <c>readonly partial struct</c> as a typed iommufd object ID: the generator adds the
/// 32-bit value (0 is never a valid ID), equality, conversions to <see cref="ObjectId"/>, and formatting.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class TypedObjectIdAttribute : Attribute
{
}
