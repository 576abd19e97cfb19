namespace IommuContracts.Uapi;

/// <summary>Numbers from linux/vfio.h used with the container ioctls.</summary>
public static class VfioConstants
{
    /// <summary>VFIO_API_VERSION.</summary>
    public const int ApiVersion = 0;

    /// <summary>VFIO_TYPE1_IOMMU.</summary>
    public const ulong Type1Iommu = 1;

    /// <summary>VFIO_TYPE1v2_IOMMU.</summary>
    public const ulong Type1v2Iommu = 3;

    /// <summary>VFIO_DMA_CC_IOMMU.</summary>
    public const ulong DmaCcIommu = 4;

    /// <summary>VFIO_NOIOMMU_IOMMU.</summary>
    public const ulong NoIommu = 8;

    /// <summary>VFIO_UNMAP_ALL.</summary>
    public const ulong UnmapAll = 9;

    /// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE.</summary>
    public const ushort CapIovaRange = 1;

    /// <summary>VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION.</summary>
    public const ushort CapMigration = 2;

    /// <summary>VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL.</summary>
    public const ushort CapDmaAvail = 3;
}
