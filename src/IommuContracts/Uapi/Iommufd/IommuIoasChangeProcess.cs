using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_change_process: move pin accounting of every file mapping to the calling process.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x92, Name = "IOMMU_IOAS_CHANGE_PROCESS", StubName = "IoasChangeProcess", Response = IoctlResponse.None)]
public partial struct IommuIoasChangeProcess
{
    [SizeField] public uint Size;
    [Reserved, LastMandatory] public uint Reserved;
}
