namespace IommuContracts.Uapi;

/// <summary>struct vfio_info_cap_header: one link of a VFIO capability chain (Next is an offset from the info struct).</summary>
public struct VfioInfoCapHeader
{
    /// <summary>The capability's ID (for example 1 for the IOVA ranges, 3 for the DMA mappings available).</summary>
    public ushort Id;
    /// <summary>The version of the capability's layout.</summary>
    public ushort Version;
    /// <summary>The offset of the next capability from the start of the info struct; 0 ends the chain.</summary>
    public uint Next;
}

/// <summary>struct vfio_iommu_type1_info_cap_iova_range (followed by NrIovas <see cref="VfioIovaRange"/>).</summary>
public struct VfioIommuType1InfoCapIovaRange
{
    /// <summary>The chain link; its ID is VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE (1).</summary>
    public VfioInfoCapHeader Header;
    /// <summary>The number of <see cref="VfioIovaRange"/> entries that follow.</summary>
    public uint NrIovas;
    /// <summary>Reserved; 0.</summary>
    public uint Reserved;
}

/// <summary>struct vfio_iova_range: an inclusive range [Start, End].</summary>
public struct VfioIovaRange
{
    /// <summary>The first IOVA of the range.</summary>
    public ulong Start;
    /// <summary>The last IOVA of the range, inclusive.</summary>
    public ulong End;
}

/// <summary>struct vfio_iommu_type1_info_dma_avail.</summary>
public struct VfioIommuType1InfoDmaAvail
{
    /// <summary>The chain link; its ID is VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL (3).</summary>
    public VfioInfoCapHeader Header;
    /// <summary>How many more DMA mappings the container accepts.</summary>
    public uint Avail;
}
