using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct vfio_device_attach_iommufd_pt: attach (or, when already attached, replace) the device to an IOAS
/// or HWPT; PtId returns the HWPT actually used. The stub takes the IOAS or HWPT as a <see cref="PageTableId"/>
/// and returns the HWPT as a <see cref="HwptId"/> (unchanged when a HWPT was passed).
/// </summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 19, Name = "VFIO_DEVICE_ATTACH_IOMMUFD_PT", StubName = "VfioDeviceAttachIommufdPt",
    Convention = IoctlConvention.Vfio, StubRequiresState = "Bound", StubStateRule = RuleIds.VfioIoctlBeforeBind,
    IovaRanges = IovaRangesEffect.Invalidates)]
public partial struct VfioDeviceAttachIommufdPt
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Attach flags (<see cref="VfioDeviceAttachFlags"/>); unknown bits give EINVAL.</summary>
    [CheckedFlags] public VfioDeviceAttachFlags Flags;
    /// <summary>In: the IOAS or HWPT to attach to; out: the HWPT the device is attached to (the one the kernel chose for an IOAS).</summary>
    [InOut(OutputType = typeof(HwptId)), LastMandatory, OutputMustBeUsed(RuleIds.PtIdIgnored)] public PageTableId PtId;
    /// <summary>The PASID to attach; read only with <see cref="VfioDeviceAttachFlags.Pasid"/>.</summary>
    [RequiredWithFlag((ulong)VfioDeviceAttachFlags.Pasid)] public uint Pasid;
}

/// <summary>Flags of VFIO_DEVICE_ATTACH_IOMMUFD_PT.</summary>
[Flags]
public enum VfioDeviceAttachFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>Attach a PASID of the device (Pasid is read).</summary>
    Pasid = 1 << 0,
}
