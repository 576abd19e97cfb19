using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_allow_iovas: replace the IOAS's allowed ranges (AllowedIovas points at IommuIovaRange[NumIovas]).</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x82, Name = "IOMMU_IOAS_ALLOW_IOVAS", StubName = "IoasAllowIovas", Response = IoctlResponse.None)]
public partial struct IommuIoasAllowIovas
{
    [SizeField] public uint Size;
    public IoasId IoasId;
    public uint NumIovas;
    [Reserved] public uint Reserved;
    [LastMandatory] public ulong AllowedIovas;
}
