namespace IommuContracts.Engine.Iommu;

/// <summary>The kind of a device reserved region (IOMMU_RESV_*).</summary>
public enum ReservedRegionKind
{
    /// <summary>Must stay identity mapped (IOMMU_RESV_DIRECT): never usable IOVA.</summary>
    Direct,

    /// <summary>Identity mapping that may be relaxed (IOMMU_RESV_DIRECT_RELAXABLE): not reserved by iommufd.</summary>
    DirectRelaxable,

    /// <summary>An IOVA range the IOMMU cannot translate (IOMMU_RESV_RESERVED).</summary>
    Reserved,

    /// <summary>A hardware MSI doorbell window (IOMMU_RESV_MSI).</summary>
    HardwareMsi,

    /// <summary>A software-managed MSI window that iommufd maps the doorbell into (IOMMU_RESV_SW_MSI).</summary>
    SoftwareMsi,
}

/// <summary>An IOVA range [Start, Start + Length) a device cannot use for DMA.</summary>
public sealed record ReservedRegion(ulong Start, ulong Length, ReservedRegionKind Kind)
{
    /// <summary>The last IOVA of the region, inclusive.</summary>
    public ulong Last => Start + Length - 1;
}
