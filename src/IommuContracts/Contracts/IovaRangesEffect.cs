namespace IommuContracts.Contracts;

/// <summary>How a call relates to the IOAS's usable IOVA ranges (which every attach and detach may change).</summary>
public enum IovaRangesEffect
{
    /// <summary>The call neither reads nor changes the ranges.</summary>
    None,

    /// <summary>
    /// The call may narrow the ranges (attach, replace, a HWPT allocated for a device): new reserved regions and a
    /// larger alignment. A detach only widens them and is not an invalidation.
    /// </summary>
    Invalidates,

    /// <summary>The call reads the ranges (IOMMU_IOAS_IOVA_RANGES).</summary>
    Refreshes,

    /// <summary>The call maps at a fixed IOVA and should come after a fresh read of the ranges.</summary>
    Requires,
}
