namespace IommuContracts.Uapi;

// The per-op members of iommu_test_cmd's union, in the kernel header's order.

/// <summary>ADD_RESERVED: reserve [Start, Start+Length) in the IOAS named by the command's id.</summary>
public struct TestAddReserved
{
    /// <summary>The first IOVA to reserve.</summary>
    public ulong Start;
    /// <summary>The length in bytes of the reserved range.</summary>
    public ulong Length;
}

/// <summary>MOCK_DOMAIN: create a mock device bound and attached to the IOAS/HWPT named by id.</summary>
public struct TestMockDomain
{
    /// <summary>Output: the ID of the selftest device object; destroying it removes the mock device.</summary>
    public SelftestId OutStdevId;
    /// <summary>Output: the HWPT the mock device was attached to (the one the kernel chose for an IOAS).</summary>
    public HwptId OutHwptId;
    /// <summary>Output: the mock device's ID in the iommufd, as VFIO bind would return it.</summary>
    public DeviceId OutIdevId;
}

/// <summary>MOCK_DOMAIN_FLAGS: MOCK_DOMAIN with mock device flags (<see cref="MockDeviceFlags"/>).</summary>
public struct TestMockDomainFlags
{
    /// <summary>Output: the ID of the selftest device object; destroying it removes the mock device.</summary>
    public SelftestId OutStdevId;
    /// <summary>Output: the HWPT the mock device was attached to.</summary>
    public HwptId OutHwptId;
    /// <summary>Output: the mock device's ID in the iommufd.</summary>
    public DeviceId OutIdevId;
    /// <summary>The mock device's flags (<see cref="MockDeviceFlags"/>).</summary>
    public MockDeviceFlags DevFlags;
}

/// <summary>MOCK_DOMAIN_REPLACE: move the mock device (id = stdev) to PtId; PtId returns the HWPT used.</summary>
public struct TestMockDomainReplace
{
    /// <summary>In: the IOAS or HWPT to move to; out: the HWPT the mock device is attached to now.</summary>
    public ObjectId PtId;
}

/// <summary>MD_CHECK_MAP: the mock HWPT id maps [Iova, Iova+Length) to the memory at Uptr.</summary>
public struct TestCheckMap
{
    /// <summary>The first IOVA to check.</summary>
    public ulong Iova;
    /// <summary>The length in bytes to check.</summary>
    public ulong Length;
    /// <summary>The user virtual address the range must map.</summary>
    public ulong Uptr;
}

/// <summary>MD_CHECK_REFS: every page of [Uptr, Uptr+Length) is pinned exactly Refs times.</summary>
public struct TestCheckRefs
{
    /// <summary>The length in bytes of the user range.</summary>
    public ulong Length;
    /// <summary>The user virtual address of the range.</summary>
    public ulong Uptr;
    /// <summary>The pin count every page must have.</summary>
    public uint Refs;
}

/// <summary>CREATE_ACCESS: create an access on the IOAS id; OutAccessFd is its file descriptor.</summary>
public struct TestCreateAccess
{
    /// <summary>Output: the access object's file descriptor.</summary>
    public int OutAccessFd;
    /// <summary>Creation flags (<see cref="MockAccessCreateFlags"/>).</summary>
    public MockAccessCreateFlags Flags;
}

/// <summary>DESTROY_ACCESS_PAGES: unpin an item returned by ACCESS_PAGES.</summary>
public struct TestDestroyAccessPages
{
    /// <summary>The ID ACCESS_PAGES returned for the pin to undo.</summary>
    public uint AccessPagesId;
}

/// <summary>ACCESS_PAGES: pin [Iova, Iova+Length) through the access fd in id and check it is the memory at Uptr.</summary>
public struct TestAccessPages
{
    /// <summary>Pin flags (<see cref="MockAccessFlags"/>).</summary>
    public MockAccessFlags Flags;
    /// <summary>Output: the ID that DESTROY_ACCESS_PAGES takes to unpin.</summary>
    public uint OutAccessPagesId;
    /// <summary>The first IOVA to pin.</summary>
    public ulong Iova;
    /// <summary>The length in bytes to pin.</summary>
    public ulong Length;
    /// <summary>The user virtual address the pinned pages must be.</summary>
    public ulong Uptr;
}

/// <summary>ACCESS_RW: copy between [Iova, Iova+Length) and the buffer at Uptr through the access fd in id.</summary>
public struct TestAccessRw
{
    /// <summary>The first IOVA to copy.</summary>
    public ulong Iova;
    /// <summary>The length in bytes to copy.</summary>
    public ulong Length;
    /// <summary>The user virtual address of the buffer.</summary>
    public ulong Uptr;
    /// <summary>Copy flags (<see cref="MockAccessRwFlags"/>).</summary>
    public MockAccessRwFlags Flags;
}

/// <summary>SET_TEMP_MEMORY_LIMIT: cap the internal batch buffers (forces multi-batch paths).</summary>
public struct TestMemoryLimit
{
    /// <summary>The limit, in pages.</summary>
    public uint Limit;
}

/// <summary>ACCESS_REPLACE_IOAS: move the access fd in id to another IOAS.</summary>
public struct TestAccessReplaceIoas
{
    /// <summary>The IOAS to move the access to.</summary>
    public IoasId IoasId;
}

/// <summary>DIRTY: mark the mock PTEs selected by the bitmap at Uptr dirty; OutNrDirty counts them.</summary>
public struct TestDirty
{
    /// <summary>Reserved; 0.</summary>
    public uint Flags;
    /// <summary>The IOVA that bit 0 of the bitmap stands for.</summary>
    public ulong Iova;
    /// <summary>The length in bytes of the IOVA range.</summary>
    public ulong Length;
    /// <summary>The bytes of IOVA each bit stands for.</summary>
    public ulong PageSize;
    /// <summary>User pointer to the bitmap of pages to mark dirty.</summary>
    public ulong Uptr;
    /// <summary>Output: how many pages were marked dirty.</summary>
    public ulong OutNrDirty;
}

/// <summary>MD_CHECK_IOTLB: the nested mock HWPT's IOTLB entry Id holds Iotlb.</summary>
public struct TestCheckIotlb
{
    /// <summary>The index of the IOTLB entry.</summary>
    public uint Id;
    /// <summary>The value the entry must hold.</summary>
    public uint Iotlb;
}

/// <summary>TRIGGER_IOPF: raise an I/O page fault from a mock device.</summary>
public struct TestTriggerIopf
{
    /// <summary>The mock device that faults (its iommufd device ID).</summary>
    public DeviceId DevId;
    /// <summary>The PASID of the fault.</summary>
    public uint Pasid;
    /// <summary>The page request group index.</summary>
    public uint Grpid;
    /// <summary>The access the fault asks for (IOMMU_PGFAULT_PERM_* bits).</summary>
    public uint Perm;
    /// <summary>The faulting address.</summary>
    public ulong Addr;
}

/// <summary>DEV_CHECK_CACHE: the mock device's cache entry Id holds Cache.</summary>
public struct TestCheckDevCache
{
    /// <summary>The index of the cache entry.</summary>
    public uint Id;
    /// <summary>The value the entry must hold.</summary>
    public uint Cache;
}

/// <summary>TRIGGER_VEVENT: raise a vEVENT from a mock device.</summary>
public struct TestTriggerVevent
{
    /// <summary>The mock device that raises the event (its iommufd device ID).</summary>
    public DeviceId DevId;
}

/// <summary>PASID_ATTACH / PASID_REPLACE: attach a PASID of the mock device (id = stdev) to PtId.</summary>
public struct TestPasidAttach
{
    /// <summary>The PASID of the mock device.</summary>
    public uint Pasid;
    /// <summary>The IOAS or HWPT to attach the PASID to.</summary>
    public ObjectId PtId;
}

/// <summary>PASID_DETACH.</summary>
public struct TestPasidDetach
{
    /// <summary>The PASID of the mock device to detach.</summary>
    public uint Pasid;
}

/// <summary>PASID_CHECK_HWPT: the PASID is attached to HwptId.</summary>
public struct TestPasidCheck
{
    /// <summary>The PASID of the mock device.</summary>
    public uint Pasid;
    /// <summary>The HWPT it must be attached to; 0 for none.</summary>
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
