using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_hwpt_set_dirty_tracking: start or stop dirty tracking on a paging HWPT.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8B, Name = "IOMMU_HWPT_SET_DIRTY_TRACKING", StubName = "HwptSetDirtyTracking", Response = IoctlResponse.None)]
public partial struct IommuHwptSetDirtyTracking
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <see cref="IommuHwptDirtyTrackingFlags.Enable"/> to start tracking, 0 to stop.
    [CheckedFlags] public IommuHwptDirtyTrackingFlags Flags;
    /// <summary>The HWPT; it must have been allocated with <see cref="IommuHwptAllocFlags.DirtyTracking"/>.</summary>
    public HwptId HwptId;

    // The kernel sources read do not check this field.
    /// <summary>Reserved; leave 0 (the kernel does not check it).</summary>
    [Reserved(Enforced = false), LastMandatory] public uint Reserved;
}

/// <summary>enum iommufd_hwpt_set_dirty_tracking_flags.</summary>
[Flags]
public enum IommuHwptDirtyTrackingFlags : uint
{
    /// <summary>Stop dirty tracking.</summary>
    None = 0,
    /// <summary>Start dirty tracking.</summary>
    Enable = 1 << 0,
}
