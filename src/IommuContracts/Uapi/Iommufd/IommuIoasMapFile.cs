using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_map_file: map a range of a memfd at a fixed or kernel-chosen IOVA.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8F, Name = "IOMMU_IOAS_MAP_FILE", StubName = "IoasMapFile")]
public partial struct IommuIoasMapFile
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuIoasMapFlags Flags;
    public IoasId IoasId;
    public int Fd;
    public ulong Start;
    public ulong Length;
    [InOut, LastMandatory] public ulong Iova;
}
