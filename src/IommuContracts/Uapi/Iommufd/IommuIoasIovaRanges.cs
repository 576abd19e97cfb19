using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_ioas_iova_ranges: the usable IOVA ranges and the required alignment. NumIovas is the
/// capacity of the IommuIovaRange array at AllowedIovas on input and the total on output (EMSGSIZE when
/// the array was too small).
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x84, Name = "IOMMU_IOAS_IOVA_RANGES", StubName = "IoasIovaRanges", IovaRanges = IovaRangesEffect.Refreshes)]
public partial struct IommuIoasIovaRanges
{
    [SizeField] public uint Size;
    public IoasId IoasId;
    [InOut] public uint NumIovas;
    [Reserved] public uint Reserved;
    public ulong AllowedIovas;
    [Output, LastMandatory] public ulong OutIovaAlignment;
}
