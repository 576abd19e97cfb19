namespace IommuContracts.Uapi;

// The per-op members of iommu_test_cmd's union, in the kernel header's order.

/// <summary>ADD_RESERVED: reserve [Start, Start+Length) in the IOAS named by the command's id.</summary>
public struct TestAddReserved
{
    public ulong Start;
    public ulong Length;
}

/// <summary>MOCK_DOMAIN: create a mock device bound and attached to the IOAS/HWPT named by id.</summary>
public struct TestMockDomain
{
    public SelftestId OutStdevId;
    public HwptId OutHwptId;
    public DeviceId OutIdevId;
}

/// <summary>MOCK_DOMAIN_FLAGS: MOCK_DOMAIN with mock device flags (<see cref="MockDeviceFlags"/>).</summary>
public struct TestMockDomainFlags
{
    public SelftestId OutStdevId;
    public HwptId OutHwptId;
    public DeviceId OutIdevId;
    public MockDeviceFlags DevFlags;
}

/// <summary>MOCK_DOMAIN_REPLACE: move the mock device (id = stdev) to PtId; PtId returns the HWPT used.</summary>
public struct TestMockDomainReplace
{
    public ObjectId PtId;
}

/// <summary>MD_CHECK_MAP: the mock HWPT id maps [Iova, Iova+Length) to the memory at Uptr.</summary>
public struct TestCheckMap
{
    public ulong Iova;
    public ulong Length;
    public ulong Uptr;
}

/// <summary>MD_CHECK_REFS: every page of [Uptr, Uptr+Length) is pinned exactly Refs times.</summary>
public struct TestCheckRefs
{
    public ulong Length;
    public ulong Uptr;
    public uint Refs;
}

/// <summary>CREATE_ACCESS: create an access on the IOAS id; OutAccessFd is its file descriptor.</summary>
public struct TestCreateAccess
{
    public int OutAccessFd;
    public MockAccessCreateFlags Flags;
}

/// <summary>DESTROY_ACCESS_PAGES: unpin an item returned by ACCESS_PAGES.</summary>
public struct TestDestroyAccessPages
{
    public uint AccessPagesId;
}

/// <summary>ACCESS_PAGES: pin [Iova, Iova+Length) through the access fd in id and check it is the memory at Uptr.</summary>
public struct TestAccessPages
{
    public MockAccessFlags Flags;
    public uint OutAccessPagesId;
    public ulong Iova;
    public ulong Length;
    public ulong Uptr;
}

/// <summary>ACCESS_RW: copy between [Iova, Iova+Length) and the buffer at Uptr through the access fd in id.</summary>
public struct TestAccessRw
{
    public ulong Iova;
    public ulong Length;
    public ulong Uptr;
    public MockAccessRwFlags Flags;
}

/// <summary>SET_TEMP_MEMORY_LIMIT: cap the internal batch buffers (forces multi-batch paths).</summary>
public struct TestMemoryLimit
{
    public uint Limit;
}

/// <summary>ACCESS_REPLACE_IOAS: move the access fd in id to another IOAS.</summary>
public struct TestAccessReplaceIoas
{
    public IoasId IoasId;
}

/// <summary>DIRTY: mark the mock PTEs selected by the bitmap at Uptr dirty; OutNrDirty counts them.</summary>
public struct TestDirty
{
    public uint Flags;
    public ulong Iova;
    public ulong Length;
    public ulong PageSize;
    public ulong Uptr;
    public ulong OutNrDirty;
}

/// <summary>MD_CHECK_IOTLB: the nested mock HWPT's IOTLB entry Id holds Iotlb.</summary>
public struct TestCheckIotlb
{
    public uint Id;
    public uint Iotlb;
}

/// <summary>TRIGGER_IOPF: raise an I/O page fault from a mock device.</summary>
public struct TestTriggerIopf
{
    public DeviceId DevId;
    public uint Pasid;
    public uint Grpid;
    public uint Perm;
    public ulong Addr;
}

/// <summary>DEV_CHECK_CACHE: the mock device's cache entry Id holds Cache.</summary>
public struct TestCheckDevCache
{
    public uint Id;
    public uint Cache;
}

/// <summary>TRIGGER_VEVENT: raise a vEVENT from a mock device.</summary>
public struct TestTriggerVevent
{
    public DeviceId DevId;
}

/// <summary>PASID_ATTACH / PASID_REPLACE: attach a PASID of the mock device (id = stdev) to PtId.</summary>
public struct TestPasidAttach
{
    public uint Pasid;
    public ObjectId PtId;
}

/// <summary>PASID_DETACH.</summary>
public struct TestPasidDetach
{
    public uint Pasid;
}

/// <summary>PASID_CHECK_HWPT: the PASID is attached to HwptId.</summary>
public struct TestPasidCheck
{
    public uint Pasid;
    public HwptId HwptId;
}

/// <summary>DMABUF_GET: a test dma-buf of Length bytes (rounded up to pages); the ioctl returns its fd.</summary>
public struct TestDmabufGet
{
    /// <summary>The buffer length in bytes (at most 512 pages).</summary>
    public uint Length;

    /// <summary>O_* flags of the returned fd.</summary>
    public uint OpenFlags;
}

/// <summary>DMABUF_REVOKE: revoke (or restore) the test dma-buf behind DmabufFd.</summary>
public struct TestDmabufRevoke
{
    /// <summary>The fd DMABUF_GET returned.</summary>
    public int DmabufFd;

    /// <summary>Non-zero revokes the buffer (its mappings stop translating), 0 restores it.</summary>
    public uint Revoked;
}
