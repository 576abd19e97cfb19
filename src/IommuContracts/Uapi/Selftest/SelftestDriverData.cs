namespace IommuContracts.Uapi;

/// <summary>struct iommu_hwpt_selftest: nested HWPT data of the mock driver (data type 0xdead); at least 4 bytes.</summary>
public struct IommuHwptSelftest
{
    public uint Iotlb;
}

/// <summary>struct iommu_hwpt_invalidate_selftest: one invalidation entry of the mock driver.</summary>
public struct IommuHwptInvalidateSelftest
{
    public uint Flags;
    public uint IotlbId;
}

/// <summary>struct iommu_test_hw_info: what GET_HW_INFO reports for a mock device (type 0xfeedbeef).</summary>
public struct IommuTestHwInfo
{
    public uint Flags;
    public uint TestReg;
}
