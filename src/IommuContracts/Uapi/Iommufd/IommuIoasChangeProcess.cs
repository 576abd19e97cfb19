using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_change_process: move pin accounting of every file mapping to the calling process.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x92, Name = "IOMMU_IOAS_CHANGE_PROCESS", StubName = "IoasChangeProcess", Response = IoctlResponse.None)]
public partial struct IommuIoasChangeProcess
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved, LastMandatory] public uint Reserved;
}
