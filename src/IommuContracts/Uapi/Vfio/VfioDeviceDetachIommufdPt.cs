using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct vfio_device_detach_iommufd_pt: detach the device (a no-op when not attached). It does not narrow the
/// usable IOVA ranges (the device's reserved regions leave the IOAS, the alignment can only drop), so a range read
/// before it stays valid: it carries no IovaRanges effect.
/// </summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 20, Name = "VFIO_DEVICE_DETACH_IOMMUFD_PT", StubName = "VfioDeviceDetachIommufdPt",
    Convention = IoctlConvention.Vfio, StubRequiresState = "Bound", StubStateRule = RuleIds.VfioIoctlBeforeBind)]
public partial struct VfioDeviceDetachIommufdPt
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Detach flags (<see cref="VfioDeviceDetachFlags"/>); unknown bits give EINVAL.</summary>
    [CheckedFlags, LastMandatory] public VfioDeviceDetachFlags Flags;
    /// <summary>The PASID to detach; read only with <see cref="VfioDeviceDetachFlags.Pasid"/>.</summary>
    [RequiredWithFlag((ulong)VfioDeviceDetachFlags.Pasid)] public uint Pasid;
}

/// <summary>Flags of VFIO_DEVICE_DETACH_IOMMUFD_PT.</summary>
[Flags]
public enum VfioDeviceDetachFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>Detach a PASID of the device (Pasid is read).</summary>
    Pasid = 1 << 0,
}
