using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_invalidate: invalidate caches of a nested HWPT or vIOMMU. EntryNum is the entry count
/// in and the number handled out, reported even when the call fails.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8D, Name = "IOMMU_HWPT_INVALIDATE", StubName = "HwptInvalidate")]
public partial struct IommuHwptInvalidate
{
    [SizeField] public uint Size;
    public ObjectId HwptId;
    public ulong DataUptr;
    public IommuHwptInvalidateDataType DataType;
    public uint EntryLen;
    [InOut, ReportedOnError] public uint EntryNum;
    [Reserved, LastMandatory] public uint Reserved;
}

/// <summary>enum iommu_hwpt_invalidate_data_type (plus the selftest driver's types).</summary>
public enum IommuHwptInvalidateDataType : uint
{
    VtdS1 = 0,
    ViommuArmSmmuv3 = 1,

    /// <summary>IOMMU_HWPT_INVALIDATE_DATA_SELFTEST (also IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST, the same value).</summary>
    Selftest = 0xdeadbeef,

    /// <summary>IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID (also the vIOMMU one, the same value).</summary>
    SelftestInvalid = 0xdadbeef,
}
