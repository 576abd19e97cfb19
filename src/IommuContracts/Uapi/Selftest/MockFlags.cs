namespace IommuContracts.Uapi;

/// <summary>MOCK_FLAGS_DEVICE_*: flags of MOCK_DOMAIN_FLAGS.</summary>
[Flags]
public enum MockDeviceFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>The mock device's IOMMU cannot track dirty pages.</summary>
    NoDirty = 1 << 0,
    /// <summary>The mock device's domains also map huge IOMMU pages.</summary>
    HugeIova = 1 << 1,
    /// <summary>The mock device supports PASIDs.</summary>
    Pasid = 1 << 2,
}

/// <summary>MOCK_FLAGS_ACCESS_CREATE_*: flags of CREATE_ACCESS.</summary>
[Flags]
public enum MockAccessCreateFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>The access pins pages (a driver that needs pin_pages, not only access_rw).</summary>
    NeedsPinPages = 1 << 0,
}

/// <summary>MOCK_FLAGS_ACCESS_*: flags of ACCESS_PAGES.</summary>
[Flags]
public enum MockAccessFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>Pin the pages for writing.</summary>
    Write = 1 << 0,
    /// <summary>The IOVA is in the fuzzer's encoding and is converted to a mapped IOVA of the IOAS first.</summary>
    Syz = 1 << 16,
}

/// <summary>MOCK_ACCESS_RW_*: flags of ACCESS_RW.</summary>
[Flags]
public enum MockAccessRwFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>Write to the IOVA memory instead of reading it.</summary>
    Write = 1 << 0,
    /// <summary>Force the slow copy path of access_rw.</summary>
    SlowPath = 1 << 2,
}
