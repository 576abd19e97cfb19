using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct vfio_iommu_type1_dma_map: map Size bytes at Vaddr to the fixed Iova.</summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 13, Name = "VFIO_IOMMU_MAP_DMA", StubName = "VfioIommuMapDma",
    Convention = IoctlConvention.Vfio, Response = IoctlResponse.None)]
public partial struct VfioIommuType1DmaMap
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Access flags (<see cref="VfioDmaMapFlags"/>).</summary>
    [CheckedFlags] public VfioDmaMapFlags Flags;
    /// <summary>The user virtual address of the memory to map.</summary>
    public ulong Vaddr;
    /// <summary>The IOVA to map at; VFIO type1 has no kernel-chosen IOVA.</summary>
    public ulong Iova;
    /// <summary>The length in bytes.</summary>
    [LastMandatory] public ulong Size;
}

/// <summary>Flags of vfio_iommu_type1_dma_map.</summary>
[Flags]
public enum VfioDmaMapFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>The device may read the mapping.</summary>
    Read = 1 << 0,
    /// <summary>The device may write the mapping.</summary>
    Write = 1 << 1,

    /// <summary>Update the vaddr of an existing mapping (not supported by iommufd's compatibility layer).</summary>
    Vaddr = 1 << 2,
}
