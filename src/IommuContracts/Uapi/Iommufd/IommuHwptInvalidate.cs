using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_invalidate: invalidate caches of a nested HWPT or vIOMMU. EntryNum is the entry count
/// in and the number handled out, reported even when the call fails.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8D, Name = "IOMMU_HWPT_INVALIDATE", StubName = "HwptInvalidate")]
public partial struct IommuHwptInvalidate
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The nested HWPT or vIOMMU whose caches to invalidate.</summary>
    public ObjectId HwptId;
    /// <summary>User pointer to an array of <see cref="EntryNum"/> driver-specific entries of <see cref="EntryLen"/> bytes each.</summary>
    public ulong DataUptr;
    /// <summary>The format of the entries.</summary>
    public IommuHwptInvalidateDataType DataType;
    /// <summary>The length in bytes of one entry.</summary>
    public uint EntryLen;
    /// <summary>In: the number of entries; out: how many were handled, also when the call fails.</summary>
    [InOut, ReportedOnError] public uint EntryNum;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved, LastMandatory] public uint Reserved;
}

/// <summary>enum iommu_hwpt_invalidate_data_type (plus the selftest driver's types).</summary>
public enum IommuHwptInvalidateDataType : uint
{
    /// <summary>Intel VT-d stage-1 invalidation (struct iommu_hwpt_vtd_s1_invalidate); on a nested HWPT.</summary>
    VtdS1 = 0,
    /// <summary>Raw ARM SMMUv3 commands (struct iommu_viommu_arm_smmuv3_invalidate); on a vIOMMU.</summary>
    ViommuArmSmmuv3 = 1,

    /// <summary>IOMMU_HWPT_INVALIDATE_DATA_SELFTEST (also IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST, the same value).</summary>
    Selftest = 0xdeadbeef,

    /// <summary>IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID (also the vIOMMU one, the same value).</summary>
    SelftestInvalid = 0xdadbeef,
}
