namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>
/// Thrown when the host cannot give a scenario what it asks for (MAP_HUGETLB with no huge pages reserved, a
/// missing /dev/iommu): the replay reports the scenario as skipped with the reason.
/// </summary>
public sealed class HostUnsupportedException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public HostUnsupportedException(string reason)
        : base(reason)
    {
    }
}
