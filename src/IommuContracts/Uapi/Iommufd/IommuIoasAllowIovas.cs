using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_allow_iovas: replace the IOAS's allowed ranges (AllowedIovas points at IommuIovaRange[NumIovas]).</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x82, Name = "IOMMU_IOAS_ALLOW_IOVAS", StubName = "IoasAllowIovas", Response = IoctlResponse.None)]
public partial struct IommuIoasAllowIovas
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The IOAS whose allowed ranges to replace.</summary>
    public IoasId IoasId;
    /// <summary>The number of <see cref="IommuIovaRange"/> entries at <see cref="AllowedIovas"/>; 0 allows every IOVA again.</summary>
    public uint NumIovas;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
    /// <summary>User pointer to the array of allowed ranges; they must not overlap each other (EINVAL) nor a reserved region (EADDRINUSE).</summary>
    [LastMandatory] public ulong AllowedIovas;
}
