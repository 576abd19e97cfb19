namespace IommuContracts.Uapi;

/// <summary>struct vfio_info_cap_header: one link of a VFIO capability chain (Next is an offset from the info struct).</summary>
public struct VfioInfoCapHeader
{
    public ushort Id;
    public ushort Version;
    public uint Next;
}

/// <summary>struct vfio_iommu_type1_info_cap_iova_range (followed by NrIovas <see cref="VfioIovaRange"/>).</summary>
public struct VfioIommuType1InfoCapIovaRange
{
    public VfioInfoCapHeader Header;
    public uint NrIovas;
    public uint Reserved;
}

/// <summary>struct vfio_iova_range: an inclusive range [Start, End].</summary>
public struct VfioIovaRange
{
    public ulong Start;
    public ulong End;
}

/// <summary>struct vfio_iommu_type1_info_dma_avail.</summary>
public struct VfioIommuType1InfoDmaAvail
{
    public VfioInfoCapHeader Header;
    public uint Avail;
}
