using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_copy: map an existing range of one IOAS into another (pages shared, pinned once).</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x83, Name = "IOMMU_IOAS_COPY", StubName = "IoasCopy")]
public partial struct IommuIoasCopy
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Map flags for the destination (<see cref="IommuIoasMapFlags"/>).</summary>
    [CheckedFlags] public IommuIoasMapFlags Flags;
    /// <summary>The IOAS to map into.</summary>
    public IoasId DstIoasId;
    /// <summary>The IOAS whose mapping is copied; the range must be fully mapped there (ENOENT otherwise).</summary>
    public IoasId SrcIoasId;
    /// <summary>The length in bytes of the range to copy.</summary>
    public ulong Length;
    /// <summary>In, with <see cref="IommuIoasMapFlags.FixedIova"/>: where to map in the destination; out otherwise: the IOVA the kernel chose.</summary>
    [InOut] public ulong DstIova;
    /// <summary>The start of the range in the source IOAS.</summary>
    [LastMandatory] public ulong SrcIova;
}
