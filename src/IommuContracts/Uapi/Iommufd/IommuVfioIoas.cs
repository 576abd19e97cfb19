using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_vfio_ioas: get, set or clear the IOAS used by the VFIO container compatibility ioctls. Only
/// GET answers (its handler copies the struct back).
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x88, Name = "IOMMU_VFIO_IOAS", StubName = "VfioIoas", Response = IoctlResponse.None)]
public partial struct IommuVfioIoas
{
    [SizeField] public uint Size;
    [InOut] public IoasId IoasId;
    public IommuVfioIoasOp Op;
    [Reserved, LastMandatory] public ushort Reserved;
}

/// <summary>enum iommufd_vfio_ioas_op.</summary>
public enum IommuVfioIoasOp : ushort
{
    Get = 0,
    Set = 1,
    Clear = 2,
}
