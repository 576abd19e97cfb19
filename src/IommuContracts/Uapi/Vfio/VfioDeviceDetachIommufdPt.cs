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
    [SizeField] public uint ArgSz;
    [CheckedFlags, LastMandatory] public VfioDeviceDetachFlags Flags;
    [RequiredWithFlag((ulong)VfioDeviceDetachFlags.Pasid)] public uint Pasid;
}

/// <summary>Flags of VFIO_DEVICE_DETACH_IOMMUFD_PT.</summary>
[Flags]
public enum VfioDeviceDetachFlags : uint
{
    None = 0,

    /// <summary>Detach a PASID of the device (Pasid is read).</summary>
    Pasid = 1 << 0,
}
