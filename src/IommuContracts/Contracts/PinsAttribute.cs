namespace IommuContracts.Contracts;

/// <summary>The method pins pages through an access (iommufd_access_pin_pages); see <see cref="MustUnpinInUnmapAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class PinsAttribute : Attribute
{
}
