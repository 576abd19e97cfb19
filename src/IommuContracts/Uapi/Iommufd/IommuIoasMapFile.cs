using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_map_file: map a range of a memfd at a fixed or kernel-chosen IOVA.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8F, Name = "IOMMU_IOAS_MAP_FILE", StubName = "IoasMapFile")]
public partial struct IommuIoasMapFile
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Map flags (<see cref="IommuIoasMapFlags"/>).</summary>
    [CheckedFlags] public IommuIoasMapFlags Flags;
    /// <summary>The IOAS to map into.</summary>
    public IoasId IoasId;
    /// <summary>The file descriptor of the memfd whose pages to map.</summary>
    public int Fd;
    /// <summary>The byte offset in the file where the mapping starts.</summary>
    public ulong Start;
    /// <summary>The length in bytes; 0 is EINVAL.</summary>
    public ulong Length;
    /// <summary>In, with <see cref="IommuIoasMapFlags.FixedIova"/>: the IOVA to map at; out otherwise: the IOVA the kernel chose.</summary>
    [InOut, LastMandatory] public ulong Iova;
}
