namespace IommuContracts.Uapi;

/// <summary>Numbers from the kernel's iommufd_test.h used by the mock driver and the ported selftests.</summary>
public static class SelftestConstants
{
    /// <summary>MOCK_APERTURE_START = 1 &lt;&lt; 24.</summary>
    public const ulong MockApertureStart = 1UL << 24;

    /// <summary>MOCK_APERTURE_LAST = (1 &lt;&lt; 31) - 1.</summary>
    public const ulong MockApertureLast = (1UL << 31) - 1;

    /// <summary>MOCK_NESTED_DOMAIN_IOTLB_NUM: IOTLB entries of a nested mock domain (ids 0..3).</summary>
    public const int MockNestedDomainIotlbNum = 4;

    /// <summary>MOCK_DEV_CACHE_NUM.</summary>
    public const int MockDevCacheNum = 4;

    /// <summary>MOCK_PASID_WIDTH.</summary>
    public const int MockPasidWidth = 20;

    /// <summary>IOMMU_HW_INFO_SELFTEST_REGVAL.</summary>
    public const uint HwInfoSelftestRegval = 0xdeadbeef;

    /// <summary>IOMMU_TEST_IOTLB_DEFAULT.</summary>
    public const uint TestIotlbDefault = 0xbadbeef;

    /// <summary>IOMMU_TEST_DEV_CACHE_DEFAULT.</summary>
    public const uint TestDevCacheDefault = 0xbaddad;

    /// <summary>IOMMU_TEST_INVALIDATE_FLAG_ALL.</summary>
    public const uint TestInvalidateFlagAll = 1;

    /// <summary>MOCK_DEV_CACHE_ID_MAX: the last cache entry of a mock device.</summary>
    public const uint MockDevCacheIdMax = 3;

    /// <summary>IOMMU_TEST_HW_QUEUE_MAX: HW queues a mock vIOMMU has (indexes 0 and 1).</summary>
    public const uint TestHwQueueMax = 2;

    /// <summary>IOMMU_TEST_PASID_RESERVED: the mock fails every other attach of this PASID, to test the error path of replace.</summary>
    public const uint TestPasidReserved = 1024;
}
