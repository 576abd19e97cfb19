using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct vfio_iommu_type1_dma_unmap: unmap [Iova, Iova+Size); Size returns the bytes unmapped.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 14, Name = "VFIO_IOMMU_UNMAP_DMA", StubName = "VfioIommuUnmapDma",
    Convention = IoctlConvention.Vfio)]
public partial struct VfioIommuType1DmaUnmap
{
    [SizeField] public uint ArgSz;
    [CheckedFlags] public VfioDmaUnmapFlags Flags;
    public ulong Iova;
    [InOut, LastMandatory] public ulong Size;
}

/// <summary>Flags of vfio_iommu_type1_dma_unmap.</summary>
[Flags]
public enum VfioDmaUnmapFlags : uint
{
    None = 0,
    GetDirtyBitmap = 1 << 0,

    /// <summary>Unmap everything (Iova and Size must be 0).</summary>
    All = 1 << 1,
    Vaddr = 1 << 2,
}
