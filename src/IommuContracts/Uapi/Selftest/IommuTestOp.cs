namespace IommuContracts.Uapi;

/// <summary>The IOMMU_TEST_OP_* operations of IOMMU_TEST_CMD.</summary>
public enum IommuTestOp : uint
{
    /// <summary>IOMMU_TEST_OP_ADD_RESERVED: add a reserved IOVA range to the IOAS.</summary>
    AddReserved = 1,
    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN: create a mock device, bind it and attach it to the IOAS or HWPT.</summary>
    MockDomain = 2,
    /// <summary>IOMMU_TEST_OP_MD_CHECK_MAP: check that a range of a mock domain maps to the given user memory.</summary>
    MdCheckMap = 3,
    /// <summary>IOMMU_TEST_OP_MD_CHECK_REFS: check the pin count of the pages behind a user range.</summary>
    MdCheckRefs = 4,
    /// <summary>IOMMU_TEST_OP_CREATE_ACCESS: create an access object on an IOAS; returns its fd.</summary>
    CreateAccess = 5,
    /// <summary>IOMMU_TEST_OP_DESTROY_ACCESS_PAGES: unpin pages an earlier ACCESS_PAGES pinned.</summary>
    DestroyAccessPages = 6,
    /// <summary>IOMMU_TEST_OP_ACCESS_PAGES: pin IOVA pages through an access object.</summary>
    AccessPages = 7,
    /// <summary>IOMMU_TEST_OP_ACCESS_RW: read or write IOVA memory through an access object.</summary>
    AccessRw = 8,
    /// <summary>IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT: cap the temporary memory the pinning code may use, to exercise its small-batch paths.</summary>
    SetTempMemoryLimit = 9,
    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE: replace the page table a mock device is attached to.</summary>
    MockDomainReplace = 10,
    /// <summary>IOMMU_TEST_OP_ACCESS_REPLACE_IOAS: move an access object to another IOAS.</summary>
    AccessReplaceIoas = 11,
    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS: MOCK_DOMAIN with <see cref="MockDeviceFlags"/>.</summary>
    MockDomainFlags = 12,
    /// <summary>IOMMU_TEST_OP_DIRTY: mark pages of a mock domain dirty from a bitmap.</summary>
    Dirty = 13,
    /// <summary>IOMMU_TEST_OP_MD_CHECK_IOTLB: check one IOTLB entry of a nested mock HWPT.</summary>
    MdCheckIotlb = 14,
    /// <summary>IOMMU_TEST_OP_TRIGGER_IOPF: raise an I/O page fault from a mock device.</summary>
    TriggerIopf = 15,
    /// <summary>IOMMU_TEST_OP_DEV_CHECK_CACHE: check one cache entry of a mock device.</summary>
    DevCheckCache = 16,
    /// <summary>IOMMU_TEST_OP_TRIGGER_VEVENT: raise a vIOMMU event for a mock device.</summary>
    TriggerVevent = 17,
    /// <summary>IOMMU_TEST_OP_PASID_ATTACH: attach a PASID of a mock device to a page table.</summary>
    PasidAttach = 18,
    /// <summary>IOMMU_TEST_OP_PASID_REPLACE: replace the page table a PASID of a mock device is attached to.</summary>
    PasidReplace = 19,
    /// <summary>IOMMU_TEST_OP_PASID_DETACH: detach a PASID of a mock device.</summary>
    PasidDetach = 20,
    /// <summary>IOMMU_TEST_OP_PASID_CHECK_HWPT: check which HWPT a PASID of a mock device is attached to.</summary>
    PasidCheckHwpt = 21,

    /// <summary>IOMMU_TEST_OP_DMABUF_GET: export a test dma-buf; the ioctl returns its fd.</summary>
    DmabufGet = 22,

    /// <summary>IOMMU_TEST_OP_DMABUF_REVOKE: revoke or restore a test dma-buf.</summary>
    DmabufRevoke = 23,
}
