using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct vfio_iommu_type1_dma_unmap: unmap [Iova, Iova+Size); Size returns the bytes unmapped.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 14, Name = "VFIO_IOMMU_UNMAP_DMA", StubName = "VfioIommuUnmapDma",
    Convention = IoctlConvention.Vfio)]
public partial struct VfioIommuType1DmaUnmap
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Unmap flags (<see cref="VfioDmaUnmapFlags"/>).</summary>
    [CheckedFlags] public VfioDmaUnmapFlags Flags;
    /// <summary>The first IOVA of the range.</summary>
    public ulong Iova;
    /// <summary>In: the length in bytes of the range; out: the bytes actually unmapped.</summary>
    [InOut, LastMandatory] public ulong Size;
}

/// <summary>Flags of vfio_iommu_type1_dma_unmap.</summary>
[Flags]
public enum VfioDmaUnmapFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>Also return the dirty bitmap of the range (not supported by iommufd's compatibility layer).</summary>
    GetDirtyBitmap = 1 << 0,

    /// <summary>Unmap everything (Iova and Size must be 0).</summary>
    All = 1 << 1,
    /// <summary>Invalidate the vaddr of the mappings for a later map with <see cref="VfioDmaMapFlags.Vaddr"/> (not supported by iommufd's compatibility layer).</summary>
    Vaddr = 1 << 2,
}
