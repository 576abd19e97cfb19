using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct vfio_iommu_type1_dma_map: map Size bytes at Vaddr to the fixed Iova.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 13, Name = "VFIO_IOMMU_MAP_DMA", StubName = "VfioIommuMapDma",
    Convention = IoctlConvention.Vfio, Response = IoctlResponse.None)]
public partial struct VfioIommuType1DmaMap
{
    [SizeField] public uint ArgSz;
    [CheckedFlags] public VfioDmaMapFlags Flags;
    public ulong Vaddr;
    public ulong Iova;
    [LastMandatory] public ulong Size;
}

/// <summary>Flags of vfio_iommu_type1_dma_map.</summary>
[Flags]
public enum VfioDmaMapFlags : uint
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,

    /// <summary>Update the vaddr of an existing mapping (not supported by iommufd's compatibility layer).</summary>
    Vaddr = 1 << 2,
}
