namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_selftest: the mock driver's HWPT data (data type 0xdead). At least 4 bytes (through
/// iotlb); the newest headers add pagetable_type, which picks the mock's page-table format for a paging HWPT.
/// </summary>
public struct IommuHwptSelftest
{
    /// <summary>The initial value of every mock IOTLB entry (IOMMU_TEST_IOTLB_DEFAULT, 0xbadbeef, in the selftests).</summary>
    public uint Iotlb;
    /// <summary>The mock page-table format of a paging HWPT; newer headers only.</summary>
    public MockPageTableType PagetableType;
}

/// <summary>The mock's page-table formats (MOCK_IOMMUPT_*); DEFAULT is 0, so data without the field picks it.</summary>
public enum MockPageTableType : uint
{
    /// <summary>MOCK_IOMMUPT_DEFAULT: the mock's plain format.</summary>
    Default = 0,
    /// <summary>MOCK_IOMMUPT_HUGE: the plain format with huge pages.</summary>
    Huge = 1,
    /// <summary>MOCK_IOMMUPT_AMDV1: the AMD IOMMU v1 page-table format.</summary>
    AmdV1 = 2,
}

/// <summary>struct iommu_hwpt_invalidate_selftest: one invalidation entry of the mock driver.</summary>
public struct IommuHwptInvalidateSelftest
{
    /// <summary>IOMMU_TEST_INVALIDATE_FLAG_ALL to invalidate every entry, or 0.</summary>
    public uint Flags;
    /// <summary>The IOTLB entry to invalidate; ignored with the ALL flag.</summary>
    public uint IotlbId;
}

/// <summary>struct iommu_test_hw_info: what GET_HW_INFO reports for a mock device (type 0xfeedbeef).</summary>
public struct IommuTestHwInfo
{
    /// <summary>Flags; 0.</summary>
    public uint Flags;
    /// <summary>A test register value; the mock reports IOMMU_HW_INFO_SELFTEST_REGVAL (0xdeadbeef).</summary>
    public uint TestReg;
}

/// <summary>
/// struct iommu_viommu_selftest: the mock driver's vIOMMU data (type 0xdeadbeef). In: in_data (the minimum
/// is 8 bytes, through out_data). Out: out_data = in_data, and the offset and length to mmap the iommufd fd at
/// to see the vIOMMU's page, whose first word is in_data.
/// </summary>
public struct IommuViommuSelftest
{
    /// <summary>Random data from user space.</summary>
    public uint InData;

    /// <summary>Loopback of <see cref="InData"/>.</summary>
    public uint OutData;

    /// <summary>The offset argument for mmap(2) of the iommufd fd.</summary>
    public ulong OutMmapOffset;

    /// <summary>The length argument for that mmap(2).</summary>
    public ulong OutMmapLength;
}

/// <summary>struct iommu_viommu_invalidate_selftest: one invalidation entry of the mock vIOMMU (12 bytes).</summary>
public struct IommuViommuInvalidateSelftest
{
    /// <summary>IOMMU_TEST_INVALIDATE_FLAG_ALL, or 0.</summary>
    public uint Flags;

    /// <summary>The virtual ID of the device whose cache is invalidated.</summary>
    public uint VdevId;

    /// <summary>The cache entry (ignored with the ALL flag).</summary>
    public uint CacheId;
}

/// <summary>struct iommu_viommu_event_selftest: the mock driver's vEVENT (type 0xbeefbeef).</summary>
public struct IommuViommuEventSelftest
{
    /// <summary>The virtual ID of the device that raised it.</summary>
    public uint VirtId;
}
