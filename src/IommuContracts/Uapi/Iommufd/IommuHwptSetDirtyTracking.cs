using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_hwpt_set_dirty_tracking: start or stop dirty tracking on a paging HWPT.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8B, Name = "IOMMU_HWPT_SET_DIRTY_TRACKING", StubName = "HwptSetDirtyTracking", Response = IoctlResponse.None)]
public partial struct IommuHwptSetDirtyTracking
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuHwptDirtyTrackingFlags Flags;
    public HwptId HwptId;

    // The kernel sources read do not check this field.
    [Reserved(Enforced = false), LastMandatory] public uint Reserved;
}

/// <summary>enum iommufd_hwpt_set_dirty_tracking_flags.</summary>
[Flags]
public enum IommuHwptDirtyTrackingFlags : uint
{
    None = 0,
    Enable = 1 << 0,
}
