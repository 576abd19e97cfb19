namespace IommuContracts.Uapi;

/// <summary>The IOMMU_TEST_OP_* operations of IOMMU_TEST_CMD.</summary>
public enum IommuTestOp : uint
{
    AddReserved = 1,
    MockDomain = 2,
    MdCheckMap = 3,
    MdCheckRefs = 4,
    CreateAccess = 5,
    DestroyAccessPages = 6,
    AccessPages = 7,
    AccessRw = 8,
    SetTempMemoryLimit = 9,
    MockDomainReplace = 10,
    AccessReplaceIoas = 11,
    MockDomainFlags = 12,
    Dirty = 13,
    MdCheckIotlb = 14,
    TriggerIopf = 15,
    DevCheckCache = 16,
    TriggerVevent = 17,
    PasidAttach = 18,
    PasidReplace = 19,
    PasidDetach = 20,
    PasidCheckHwpt = 21,

    /// <summary>IOMMU_TEST_OP_DMABUF_GET: export a test dma-buf; the ioctl returns its fd.</summary>
    DmabufGet = 22,

    /// <summary>IOMMU_TEST_OP_DMABUF_REVOKE: revoke or restore a test dma-buf.</summary>
    DmabufRevoke = 23,
}
