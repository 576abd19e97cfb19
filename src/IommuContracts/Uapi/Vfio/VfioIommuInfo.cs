namespace IommuContracts.Uapi;

/// <summary>
/// The answer of VFIO_IOMMU_GET_INFO with its capability chain decoded: the page sizes, every capability header in
/// chain order, and the contents of the capabilities the type1 IOMMU defines.
/// </summary>
public sealed class VfioIommuInfo
{
    internal VfioIommuInfo(VfioIommuInfoFlags flags, ulong iovaPgsizes, VfioInfoCapHeader[] capabilities, VfioIovaRange[]? iovaRanges, uint? dmaAvailable)
    {
        Flags = flags;
        IovaPgsizes = iovaPgsizes;
        Capabilities = capabilities;
        IovaRanges = iovaRanges;
        DmaAvailable = dmaAvailable;
    }

    /// <summary>Which parts the kernel filled in (<see cref="VfioIommuInfoFlags.PgSizes"/>, <see cref="VfioIommuInfoFlags.Caps"/>).</summary>
    public VfioIommuInfoFlags Flags { get; }

    /// <summary>The bitmap of IOMMU page sizes a mapping may use.</summary>
    public ulong IovaPgsizes { get; }

    /// <summary>The header of every capability in the chain, in chain order (unknown IDs included).</summary>
    public IReadOnlyList<VfioInfoCapHeader> Capabilities { get; }

    /// <summary>The usable IOVA ranges of VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, or null when the chain has none.</summary>
    public IReadOnlyList<VfioIovaRange>? IovaRanges { get; }

    /// <summary>How many more DMA mappings are allowed (VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL), or null when the chain has none.</summary>
    public uint? DmaAvailable { get; }
}
