using System.Runtime.InteropServices;

namespace IommuContracts.Uapi;

/// <summary>The union inside iommu_test_cmd: every op's arguments start at offset 0; 48 bytes, 8-aligned.</summary>
[StructLayout(LayoutKind.Explicit)]
public struct IommuTestPayload
{
    /// <summary>ADD_RESERVED's arguments.</summary>
    [FieldOffset(0)] public TestAddReserved AddReserved;
    /// <summary>MOCK_DOMAIN's results.</summary>
    [FieldOffset(0)] public TestMockDomain MockDomain;
    /// <summary>MOCK_DOMAIN_FLAGS's arguments and results.</summary>
    [FieldOffset(0)] public TestMockDomainFlags MockDomainFlags;
    /// <summary>MOCK_DOMAIN_REPLACE's argument and result.</summary>
    [FieldOffset(0)] public TestMockDomainReplace MockDomainReplace;
    /// <summary>MD_CHECK_MAP's arguments.</summary>
    [FieldOffset(0)] public TestCheckMap CheckMap;
    /// <summary>MD_CHECK_REFS's arguments.</summary>
    [FieldOffset(0)] public TestCheckRefs CheckRefs;
    /// <summary>CREATE_ACCESS's argument and result.</summary>
    [FieldOffset(0)] public TestCreateAccess CreateAccess;
    /// <summary>DESTROY_ACCESS_PAGES's argument.</summary>
    [FieldOffset(0)] public TestDestroyAccessPages DestroyAccessPages;
    /// <summary>ACCESS_PAGES's arguments and result.</summary>
    [FieldOffset(0)] public TestAccessPages AccessPages;
    /// <summary>ACCESS_RW's arguments.</summary>
    [FieldOffset(0)] public TestAccessRw AccessRw;
    /// <summary>SET_TEMP_MEMORY_LIMIT's argument.</summary>
    [FieldOffset(0)] public TestMemoryLimit MemoryLimit;
    /// <summary>ACCESS_REPLACE_IOAS's argument.</summary>
    [FieldOffset(0)] public TestAccessReplaceIoas AccessReplaceIoas;
    /// <summary>DIRTY's arguments and result.</summary>
    [FieldOffset(0)] public TestDirty Dirty;
    /// <summary>MD_CHECK_IOTLB's arguments.</summary>
    [FieldOffset(0)] public TestCheckIotlb CheckIotlb;
    /// <summary>TRIGGER_IOPF's arguments.</summary>
    [FieldOffset(0)] public TestTriggerIopf TriggerIopf;
    /// <summary>DEV_CHECK_CACHE's arguments.</summary>
    [FieldOffset(0)] public TestCheckDevCache CheckDevCache;
    /// <summary>TRIGGER_VEVENT's argument.</summary>
    [FieldOffset(0)] public TestTriggerVevent TriggerVevent;
    /// <summary>PASID_ATTACH's arguments.</summary>
    [FieldOffset(0)] public TestPasidAttach PasidAttach;
    /// <summary>PASID_REPLACE's arguments (the same layout as PASID_ATTACH).</summary>
    [FieldOffset(0)] public TestPasidAttach PasidReplace;
    /// <summary>PASID_DETACH's argument.</summary>
    [FieldOffset(0)] public TestPasidDetach PasidDetach;
    /// <summary>PASID_CHECK_HWPT's arguments.</summary>
    [FieldOffset(0)] public TestPasidCheck PasidCheck;

    /// <summary>DMABUF_GET's arguments.</summary>
    [FieldOffset(0)] public TestDmabufGet DmabufGet;

    /// <summary>DMABUF_REVOKE's arguments.</summary>
    [FieldOffset(0)] public TestDmabufRevoke DmabufRevoke;
}
