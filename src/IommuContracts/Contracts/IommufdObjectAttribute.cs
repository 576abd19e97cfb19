namespace IommuContracts.Contracts;

/// <summary>
/// Marks a <c>partial class</c> derived from an <see cref="IommufdObjectBaseAttribute"/> class as one object
/// kind whose IDs have the typed ID <c>idType</c>. <see cref="Kind"/> is its value in the kind enum.
/// The class declares <c>void Destroy()</c> and may declare <c>void Abort()</c> (default: Destroy).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IommufdObjectAttribute : Attribute
{
    /// <summary>Declares the object kind and its typed ID.</summary>
    /// <param name="idType">The generated typed ID struct of this kind (e.g. <see cref="IoasId"/>).</param>
    public IommufdObjectAttribute(Type idType) => IdType = idType;

    /// <summary>The typed ID struct of this kind.</summary>
    public Type IdType { get; }

    /// <summary>The kind's number (the kernel's enum iommufd_object_type order); must be unique and above 0.</summary>
    public int Kind { get; set; }
}
