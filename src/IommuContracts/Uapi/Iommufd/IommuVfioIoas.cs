using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_vfio_ioas: get, set or clear the IOAS used by the VFIO container compatibility ioctls. Only
/// GET answers (its handler copies the struct back).
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x88, Name = "IOMMU_VFIO_IOAS", StubName = "VfioIoas", Response = IoctlResponse.None)]
public partial struct IommuVfioIoas
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>In, for Set: the IOAS the VFIO container ioctls use; out, for Get: the one they use now.</summary>
    [InOut] public IoasId IoasId;
    /// <summary>What to do (<see cref="IommuVfioIoasOp"/>).</summary>
    public IommuVfioIoasOp Op;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved, LastMandatory] public ushort Reserved;
}

/// <summary>enum iommufd_vfio_ioas_op.</summary>
public enum IommuVfioIoasOp : ushort
{
    /// <summary>Report the compatibility IOAS in <see cref="IommuVfioIoas.IoasId"/> (ENODEV when there is none).</summary>
    Get = 0,
    /// <summary>Make <see cref="IommuVfioIoas.IoasId"/> the compatibility IOAS.</summary>
    Set = 1,
    /// <summary>Forget the compatibility IOAS.</summary>
    Clear = 2,
}
