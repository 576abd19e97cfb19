namespace IommuContracts.Contracts;

/// <summary>The method gives pinned pages back (iommufd_access_unpin_pages).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class UnpinsAttribute : Attribute
{
}
