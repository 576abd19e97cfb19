namespace IommuContracts.Contracts;

/// <summary>
/// Marks an empty <c>readonly partial struct</c> as a typed iommufd object ID: the generator adds the
/// 32-bit value (0 is never a valid ID), equality, conversions to <see cref="ObjectId"/>, and formatting.
/// </summary>
/// <remarks>
/// With <see cref="Kinds"/> the struct names an object of any of those kinds, as a uapi field that the kernel
/// looks up polymorphically does (an attach's <c>pt_id</c> is an IOAS or a HWPT): the generator adds an
/// implicit conversion from each kind, and none from an untyped <see cref="ObjectId"/> or <c>uint</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class TypedObjectIdAttribute : Attribute
{
    /// <summary>An ID of one object kind, or, given <paramref name="kinds"/>, of any of those kinds.</summary>
    /// <param name="kinds">Single-kind <c>[TypedObjectId]</c> structs this ID may name; none for a kind of its own.</param>
    public TypedObjectIdAttribute(params Type[] kinds) => Kinds = kinds ?? [];

    /// <summary>The kinds an ID of several kinds accepts (empty for an ID of one kind).</summary>
    public IReadOnlyList<Type> Kinds { get; }
}
