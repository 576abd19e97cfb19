namespace IommuContracts.Contracts;

/// <summary>
/// On the unmap callback of an access ops interface: an implementation whose access pins pages must call an
/// <see cref="UnpinsAttribute"/> method in it (IOMMU0014 otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MustUnpinInUnmapAttribute : Attribute
{
}
