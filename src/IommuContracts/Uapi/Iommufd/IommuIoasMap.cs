using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_map: map user memory at a fixed or kernel-chosen IOVA.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x85, Name = "IOMMU_IOAS_MAP", StubName = "IoasMap", IovaRanges = IovaRangesEffect.Requires)]
public partial struct IommuIoasMap
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Map flags (<see cref="IommuIoasMapFlags"/>); without Readable or Writeable the map is EINVAL.</summary>
    [CheckedFlags] public IommuIoasMapFlags Flags;
    /// <summary>The IOAS to map into.</summary>
    public IoasId IoasId;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
    /// <summary>The user virtual address of the memory to map; its pages are pinned while mapped.</summary>
    public ulong UserVa;
    /// <summary>The length in bytes; 0 is EINVAL.</summary>
    public ulong Length;
    /// <summary>In, with <see cref="IommuIoasMapFlags.FixedIova"/>: the IOVA to map at (EEXIST if taken); out otherwise: the IOVA the kernel chose.</summary>
    [InOut, LastMandatory] public ulong Iova;
}
