namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_selftest: the mock driver's HWPT data (data type 0xdead). At least 4 bytes (through
/// iotlb); the newest headers add pagetable_type, which picks the mock's page-table format for a paging HWPT.
/// </summary>
public struct IommuHwptSelftest
{
    public uint Iotlb;
    public MockPageTableType PagetableType;
}

/// <summary>The mock's page-table formats (MOCK_IOMMUPT_*); DEFAULT is 0, so data without the field picks it.</summary>
public enum MockPageTableType : uint
{
    Default = 0,
    Huge = 1,
    AmdV1 = 2,
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
