using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct vfio_device_bind_iommufd: bind a VFIO device cdev to an iommufd; OutDevId is the device's ID in
/// that iommufd. The newest kernels read it with copy_struct_from_user (E2BIG for non-zero bytes past the
/// struct) and answer unknown flags with EINVAL.
/// </summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 18, Name = "VFIO_DEVICE_BIND_IOMMUFD", StubName = "VfioDeviceBindIommufd",
    Convention = IoctlConvention.Vfio, CopyIn = IoctlCopyIn.CopyStruct, StubTransitionsTo = "Bound")]
public partial struct VfioDeviceBindIommufd
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Bind flags (<see cref="VfioDeviceBindFlags"/>); unknown bits give EINVAL.</summary>
    [CheckedFlags] public VfioDeviceBindFlags Flags;
    /// <summary>The file descriptor of the /dev/iommu to bind to.</summary>
    public int IommuFd;
    /// <summary>Output: the device's ID in that iommufd, for attach, HWPT allocation and hardware info.</summary>
    [Output, LastMandatory] public DeviceId OutDevId;
    /// <summary>User pointer to the 16-byte VF token; read only with <see cref="VfioDeviceBindFlags.Token"/>.</summary>
    public ulong TokenUuidPtr;
}

/// <summary>Flags of VFIO_DEVICE_BIND_IOMMUFD.</summary>
[Flags]
public enum VfioDeviceBindFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>TokenUuidPtr points at the 16-byte VF token.</summary>
    Token = 1 << 0,
}
