using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_map: map user memory at a fixed or kernel-chosen IOVA.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x85, Name = "IOMMU_IOAS_MAP", StubName = "IoasMap", IovaRanges = IovaRangesEffect.Requires)]
public partial struct IommuIoasMap
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuIoasMapFlags Flags;
    public IoasId IoasId;
    [Reserved] public uint Reserved;
    public ulong UserVa;
    public ulong Length;
    [InOut, LastMandatory] public ulong Iova;
}
