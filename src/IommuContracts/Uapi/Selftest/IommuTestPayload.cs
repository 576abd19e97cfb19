using System.Runtime.InteropServices;

namespace IommuContracts.Uapi;

/// <summary>The union inside iommu_test_cmd: every op's arguments start at offset 0; 48 bytes, 8-aligned.</summary>
[StructLayout(LayoutKind.Explicit)]
public struct IommuTestPayload
{
    [FieldOffset(0)] public TestAddReserved AddReserved;
    [FieldOffset(0)] public TestMockDomain MockDomain;
    [FieldOffset(0)] public TestMockDomainFlags MockDomainFlags;
    [FieldOffset(0)] public TestMockDomainReplace MockDomainReplace;
    [FieldOffset(0)] public TestCheckMap CheckMap;
    [FieldOffset(0)] public TestCheckRefs CheckRefs;
    [FieldOffset(0)] public TestCreateAccess CreateAccess;
    [FieldOffset(0)] public TestDestroyAccessPages DestroyAccessPages;
    [FieldOffset(0)] public TestAccessPages AccessPages;
    [FieldOffset(0)] public TestAccessRw AccessRw;
    [FieldOffset(0)] public TestMemoryLimit MemoryLimit;
    [FieldOffset(0)] public TestAccessReplaceIoas AccessReplaceIoas;
    [FieldOffset(0)] public TestDirty Dirty;
    [FieldOffset(0)] public TestCheckIotlb CheckIotlb;
    [FieldOffset(0)] public TestTriggerIopf TriggerIopf;
    [FieldOffset(0)] public TestCheckDevCache CheckDevCache;
    [FieldOffset(0)] public TestTriggerVevent TriggerVevent;
    [FieldOffset(0)] public TestPasidAttach PasidAttach;
    [FieldOffset(0)] public TestPasidAttach PasidReplace;
    [FieldOffset(0)] public TestPasidDetach PasidDetach;
    [FieldOffset(0)] public TestPasidCheck PasidCheck;

    /// <summary>DMABUF_GET's arguments.</summary>
    [FieldOffset(0)] public TestDmabufGet DmabufGet;

    /// <summary>DMABUF_REVOKE's arguments.</summary>
    [FieldOffset(0)] public TestDmabufRevoke DmabufRevoke;
}
