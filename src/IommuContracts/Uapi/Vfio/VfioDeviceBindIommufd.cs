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
    [SizeField] public uint ArgSz;
    [CheckedFlags] public VfioDeviceBindFlags Flags;
    public int IommuFd;
    [Output, LastMandatory] public DeviceId OutDevId;
    public ulong TokenUuidPtr;
}

/// <summary>Flags of VFIO_DEVICE_BIND_IOMMUFD.</summary>
[Flags]
public enum VfioDeviceBindFlags : uint
{
    None = 0,

    /// <summary>TokenUuidPtr points at the 16-byte VF token.</summary>
    Token = 1 << 0,
}
