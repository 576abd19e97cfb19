using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' setup in C#: a root process with /dev/iommu open and the 16-page global buffer
/// (THP aligned). Teardown mirrors teardown_iommufd: close, reopen, and check no page of the buffer is
/// still pinned, and that the kernel printed no WARN. The process is an <see cref="IProcessHost"/>: a simulated
/// root process by default (<see cref="ProcessHosts"/>), or the real one when the replay runs the port on a kernel.
/// </summary>
public class IommufdFixture : IDisposable
{
    public const ulong PageSize = SimulatedProcess.PageSize;
    public const ulong BufferSize = 16 * PageSize;
    public const ulong HugePageSize = 2UL << 20;

    private (int Fd, ulong Address)? _mfd;

    public IommufdFixture()
        : this(ProcessHosts.Create())
    {
    }

    /// <summary>The setup on <paramref name="host"/> (e.g. a simulated process on another kernel profile).</summary>
    public IommufdFixture(IProcessHost host)
    {
        Host = host;
        Buffer = Host.Mmap(BufferSize, MemoryProtection.ReadWrite, MmapFlags.None, HugePageSize);
        Fd = Host.OpenIommufd();
        Assert.True(Fd >= 0, $"open /dev/iommu on {Host.Name} returned {Fd}");
    }

    /// <summary>The process the test runs in (simulated, or the real one on a kernel).</summary>
    public IProcessHost Host { get; }

    /// <summary>The simulated process, for tests that inspect the simulation (skipped on the real kernel).</summary>
    public SimulatedProcess Process => Host.RequireSimulated("the simulated process");

    public int Fd { get; private set; }

    public IIoctlFile File => Host.File(Fd);

    /// <summary>Opens /dev/iommu again as <see cref="Fd"/>, for a test that closed it itself.</summary>
    protected void ReopenFd() => Fd = Host.OpenIommufd();

    /// <summary>The global test buffer (BUFFER_SIZE bytes, 2 MiB aligned).</summary>
    public ulong Buffer { get; }

    /// <summary>The global memfd (mfd) of BUFFER_SIZE bytes, made on first use (simulated hosts only).</summary>
    public int Mfd => GlobalMemfd().Fd;

    /// <summary>The global shared mapping of <see cref="Mfd"/> (mfd_buffer).</summary>
    public ulong MfdBuffer => GlobalMemfd().Address;

    // Made on first use, so a port that never maps a file still runs on a host without memfds (the real kernel).
    private (int Fd, ulong Address) GlobalMemfd() => _mfd ??= MemfdMmap(BufferSize, MmapFlags.Shared);

    /// <summary>
    /// memfd_mmap: a memfd (hugetlbfs for MAP_HUGETLB) of <paramref name="length"/> bytes mapped with
    /// <paramref name="flags"/>, read / write.
    /// </summary>
    public (int Fd, ulong Address) MemfdMmap(ulong length, MmapFlags flags)
    {
        var fd = Process.MemfdCreate("buffer", (flags & MmapFlags.HugeTlb) != 0 ? MemfdFlags.HugeTlb : MemfdFlags.None);
        Assert.True(fd > 0);
        Assert.Equal(Errno.None, Process.Ftruncate(fd, length));
        Assert.Equal(Errno.None, Process.Mmap(fd, length, MemoryProtection.ReadWrite, flags, 0, out var address));
        return (fd, address);
    }

    /// <summary>test_ioctl_ioas_map_file: READABLE | WRITEABLE, kernel-chosen IOVA.</summary>
    public Errno MapFile(IoasId ioas, int fd, ulong start, ulong length, out ulong iova)
    {
        iova = 0;
        return File.IoasMapFile(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, fd, start, length, ref iova);
    }

    public int Ioctl(uint command, ulong argument) => Host.Ioctl(Fd, command, argument);

    public int Ioctl(uint command, Span<byte> argument) => Host.Ioctl(Fd, command, argument);

    public IoasId AllocIoas()
    {
        Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        Assert.True(ioas.IsValid);
        return ioas;
    }

    /// <summary>test_ioctl_ioas_map_fixed: READABLE | WRITEABLE | FIXED_IOVA.</summary>
    public Errno MapFixed(IoasId ioas, ulong userVa, ulong length, ulong iova)
        => File.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, userVa, length, ref iova);

    /// <summary>test_ioctl_ioas_map: READABLE | WRITEABLE, kernel-chosen IOVA.</summary>
    public Errno Map(IoasId ioas, ulong userVa, ulong length, out ulong iova)
    {
        iova = 0;
        return File.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, userVa, length, ref iova);
    }

    public Errno Unmap(IoasId ioas, ulong iova, ulong length, out ulong unmapped)
    {
        unmapped = length;
        return File.IoasUnmap(ioas, iova, ref unmapped);
    }

    /// <summary>MD_CHECK_REFS on [uptr, uptr + length).</summary>
    public Errno CheckRefs(ulong uptr, ulong length, uint refs)
    {
        var payload = new IommuTestPayload { CheckRefs = new TestCheckRefs { Uptr = uptr, Length = length, Refs = refs } };
        return File.TestCmd(IommuTestOp.MdCheckRefs, ObjectId.None, ref payload);
    }

    public Errno AddReserved(IoasId ioas, ulong start, ulong length)
    {
        var payload = new IommuTestPayload { AddReserved = new TestAddReserved { Start = start, Length = length } };
        return File.TestCmd(IommuTestOp.AddReserved, ioas, ref payload);
    }

    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN on an IOAS or HWPT: a mock device bound and attached.</summary>
    public Errno MockDomain(ObjectId pt, out SelftestId stdev, out HwptId hwpt, out DeviceId idev, MockDeviceFlags flags = MockDeviceFlags.None)
    {
        var payload = new IommuTestPayload { MockDomainFlags = new TestMockDomainFlags { DevFlags = flags } };
        var result = File.TestCmd(flags == MockDeviceFlags.None ? IommuTestOp.MockDomain : IommuTestOp.MockDomainFlags, pt, ref payload);
        stdev = payload.MockDomainFlags.OutStdevId;
        hwpt = payload.MockDomainFlags.OutHwptId;
        idev = payload.MockDomainFlags.OutIdevId;
        return result;
    }

    /// <summary>MD_CHECK_MAP: the mock HWPT maps [iova, iova + length) to the memory at uptr.</summary>
    public Errno CheckMap(HwptId hwpt, ulong iova, ulong length, ulong uptr)
    {
        var payload = new IommuTestPayload { CheckMap = new TestCheckMap { Iova = iova, Length = length, Uptr = uptr } };
        return File.TestCmd(IommuTestOp.MdCheckMap, hwpt, ref payload);
    }

    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE: moves the mock device <paramref name="stdev"/> to <paramref name="pt"/>.</summary>
    public Errno ReplaceMockDevice(ObjectId stdev, ObjectId pt) => ReplaceMockDevice(stdev, pt, out _);

    /// <summary>IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, also returning the HWPT the device ended up on.</summary>
    public Errno ReplaceMockDevice(ObjectId stdev, ObjectId pt, out ObjectId result)
    {
        var payload = new IommuTestPayload { MockDomainReplace = new TestMockDomainReplace { PtId = pt } };
        var errno = File.TestCmd(IommuTestOp.MockDomainReplace, stdev, ref payload);
        result = payload.MockDomainReplace.PtId;
        return errno;
    }

    /// <summary>IOMMU_HWPT_ALLOC with no driver data (test_cmd_hwpt_alloc / test_err_hwpt_alloc).</summary>
    public Errno HwptAlloc(DeviceId device, ObjectId pt, IommuHwptAllocFlags flags, out HwptId hwpt)
        => File.HwptAlloc(flags, device, pt, IommuHwptDataType.None, 0, 0, FaultId.None, out hwpt);

    /// <summary>IOMMU_HWPT_ALLOC with driver data at <paramref name="data"/> (test_cmd_hwpt_alloc_nested and friends).</summary>
    public Errno HwptAlloc(DeviceId device, ObjectId pt, IommuHwptAllocFlags flags, IommuHwptDataType type, ulong data, uint dataLength, out HwptId hwpt, FaultId fault = default)
        => File.HwptAlloc(flags, device, pt, type, dataLength, data, fault, out hwpt);

    /// <summary>IOMMU_TEST_OP_MD_CHECK_IOTLB: entry <paramref name="id"/> of a nested mock HWPT holds <paramref name="expected"/>.</summary>
    public Errno CheckIotlb(HwptId nested, uint id, uint expected)
    {
        var payload = new IommuTestPayload { CheckIotlb = new TestCheckIotlb { Id = id, Iotlb = expected } };
        return File.TestCmd(IommuTestOp.MdCheckIotlb, nested, ref payload);
    }

    /// <summary>IOMMU_TEST_OP_CREATE_ACCESS on <paramref name="ioas"/>: the access is a file descriptor.</summary>
    public Errno CreateAccess(IoasId ioas, MockAccessCreateFlags flags, out int accessFd)
    {
        var payload = new IommuTestPayload { CreateAccess = new TestCreateAccess { Flags = flags } };
        var errno = File.TestCmd(IommuTestOp.CreateAccess, ioas, ref payload);
        accessFd = payload.CreateAccess.OutAccessFd;
        if (errno == Errno.None)
        {
            Host.Adopt(accessFd);
        }

        return errno;
    }

    /// <summary>test_cmd_destroy_access: close the access fd.</summary>
    public Errno DestroyAccess(int accessFd) => Host.Close(accessFd);

    /// <summary>IOMMU_TEST_OP_ACCESS_PAGES: pin [iova, iova + length) through the access and check it is the memory at uptr.</summary>
    public Errno AccessPages(int accessFd, ulong iova, ulong length, ulong uptr, out uint accessPagesId, MockAccessFlags flags = MockAccessFlags.None)
    {
        var payload = new IommuTestPayload { AccessPages = new TestAccessPages { Flags = flags, Iova = iova, Length = length, Uptr = uptr } };
        var errno = File.TestCmd(IommuTestOp.AccessPages, new ObjectId((uint)accessFd), ref payload);
        accessPagesId = payload.AccessPages.OutAccessPagesId;
        return errno;
    }

    /// <summary>IOMMU_TEST_OP_DESTROY_ACCESS_PAGES.</summary>
    public Errno DestroyAccessPages(int accessFd, uint accessPagesId)
    {
        var payload = new IommuTestPayload { DestroyAccessPages = new TestDestroyAccessPages { AccessPagesId = accessPagesId } };
        return File.TestCmd(IommuTestOp.DestroyAccessPages, new ObjectId((uint)accessFd), ref payload);
    }

    /// <summary>IOMMU_TEST_OP_ACCESS_RW: copy between [iova, iova + length) and the user buffer at uptr.</summary>
    public Errno AccessRw(int accessFd, ulong iova, ulong length, ulong uptr, MockAccessRwFlags flags)
    {
        var payload = new IommuTestPayload { AccessRw = new TestAccessRw { Iova = iova, Length = length, Uptr = uptr, Flags = flags } };
        return File.TestCmd(IommuTestOp.AccessRw, new ObjectId((uint)accessFd), ref payload);
    }

    /// <summary>IOMMU_TEST_OP_ACCESS_REPLACE_IOAS.</summary>
    public Errno AccessReplaceIoas(int accessFd, IoasId ioas)
    {
        var payload = new IommuTestPayload { AccessReplaceIoas = new TestAccessReplaceIoas { IoasId = ioas } };
        return File.TestCmd(IommuTestOp.AccessReplaceIoas, new ObjectId((uint)accessFd), ref payload);
    }

    /// <summary>IOMMU_TEST_OP_DIRTY: mark the mock PTEs of the page_size units set in the bitmap at uptr dirty.</summary>
    public Errno MockDomainSetDirty(HwptId hwpt, ulong length, ulong iova, ulong pageSize, ulong bitmap, out ulong dirty)
    {
        var payload = new IommuTestPayload { Dirty = new TestDirty { Iova = iova, Length = length, PageSize = pageSize, Uptr = bitmap } };
        var errno = File.TestCmd(IommuTestOp.Dirty, hwpt, ref payload);
        dirty = payload.Dirty.OutNrDirty;
        return errno;
    }

    /// <summary>test_ioctl_fault_alloc: a fault queue and its fd (both non-zero).</summary>
    public (FaultId Id, int Fd) FaultAlloc()
    {
        Assert.Equal(Errno.None, File.FaultQueueAlloc(IommuFaultAllocFlags.None, out var id, out var fd));
        Assert.True(id.IsValid);
        Assert.NotEqual(0, fd);
        return (id, fd);
    }

    /// <summary>IOMMU_TEST_OP_TRIGGER_IOPF: the mock device reports a fault (grpid 2, READ | WRITE, address 0xdeadbeaf).</summary>
    public Errno TriggerIopf(DeviceId device, uint pasid)
    {
        var payload = new IommuTestPayload
        {
            TriggerIopf = new TestTriggerIopf
            {
                DevId = device,
                Pasid = pasid,
                Grpid = TriggerIopfGroup,
                Perm = (uint)(IommuPgfaultPerm.Read | IommuPgfaultPerm.Write),
                Addr = TriggerIopfAddress,
            },
        };
        return File.TestCmd(IommuTestOp.TriggerIopf, ObjectId.None, ref payload);
    }

    /// <summary>The group index _test_cmd_trigger_iopf uses.</summary>
    public const uint TriggerIopfGroup = 0x2;

    /// <summary>The fault address _test_cmd_trigger_iopf uses.</summary>
    public const ulong TriggerIopfAddress = 0xdeadbeaf;

    /// <summary>
    /// _test_cmd_trigger_iopf: trigger a fault, read one record from the fault fd and answer it SUCCESS.
    /// Returns the record read, after asserting the read and the write each moved a whole record.
    /// </summary>
    public IommuHwptPgfault TriggerIopfAndRespond(DeviceId device, uint pasid, int faultFd)
    {
        Assert.Equal(Errno.None, TriggerIopf(device, pasid));
        var record = new byte[40];
        Assert.Equal(40, Process.ReadFile(faultFd, record));
        var fault = System.Runtime.InteropServices.MemoryMarshal.Read<IommuHwptPgfault>(record);
        var response = new IommuHwptPageResponse { Cookie = fault.Cookie, Code = IommufdPageResponseCode.Success };
        Assert.Equal(8, Process.WriteFile(faultFd, System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<IommuHwptPageResponse>(ref response))));
        return fault;
    }

    /// <summary>_test_cmd_viommu_alloc: a vIOMMU of <paramref name="type"/> on the nesting parent, with optional driver data.</summary>
    public Errno ViommuAlloc(DeviceId device, HwptId hwpt, IommuViommuType type, ulong data, uint dataLength, out ViommuId viommu)
        => File.ViommuAlloc(IommuViommuAllocFlags.None, type, device, hwpt, dataLength, data, out viommu);

    /// <summary>_test_cmd_vdevice_alloc.</summary>
    public Errno VdeviceAlloc(ViommuId viommu, DeviceId device, ulong virtId, out VdeviceId vdevice)
        => File.VdeviceAlloc(viommu, device, virtId, out vdevice);

    /// <summary>_test_cmd_veventq_alloc: a vEVENT queue of depth 2.</summary>
    public Errno VeventqAlloc(ViommuId viommu, IommuVeventqType type, out VeventqId queue, out int fd)
        => File.VeventqAlloc(IommuVeventqAllocFlags.None, viommu, type, 2, out queue, out fd);

    /// <summary>_test_cmd_hw_queue_alloc.</summary>
    public Errno HwQueueAlloc(ViommuId viommu, IommuHwQueueType type, uint index, ulong iova, ulong length, out HwQueueId queue)
        => File.HwQueueAlloc(IommuHwQueueAllocFlags.None, viommu, type, index, iova, length, out queue);

    /// <summary>IOMMU_HWPT_INVALIDATE on a HWPT or vIOMMU; <paramref name="count"/> is the entries in and the entries handled out.</summary>
    public Errno Invalidate(ObjectId target, ulong requests, IommuHwptInvalidateDataType type, uint entryLength, ref uint count)
        => File.HwptInvalidate(target, requests, type, entryLength, ref count);

    /// <summary>IOMMU_TEST_OP_DEV_CHECK_CACHE: cache entry <paramref name="id"/> of the mock device holds <paramref name="expected"/>.</summary>
    public Errno CheckDevCache(DeviceId device, uint id, uint expected)
    {
        var payload = new IommuTestPayload { CheckDevCache = new TestCheckDevCache { Id = id, Cache = expected } };
        return File.TestCmd(IommuTestOp.DevCheckCache, device, ref payload);
    }

    /// <summary>test_cmd_dev_check_cache_all.</summary>
    public void CheckDevCacheAll(DeviceId device, uint expected)
    {
        for (uint id = 0; id < SelftestConstants.MockDevCacheNum; id++)
        {
            Assert.Equal(Errno.None, CheckDevCache(device, id, expected));
        }
    }

    /// <summary>
    /// _test_cmd_get_dmabuf: IOMMU_TEST_OP_DMABUF_GET for <paramref name="length"/> bytes with O_CLOEXEC; the
    /// ioctl's return value (the dma-buf fd, or -errno).
    /// </summary>
    public int GetDmabuf(ulong length)
    {
        const uint oCloexec = 0x80000;
        var cmd = new IommuTestCmd { Op = IommuTestOp.DmabufGet };
        cmd.Payload.DmabufGet = new TestDmabufGet { Length = (uint)length, OpenFlags = oCloexec };
        var bytes = global::IommuContracts.Ioctl.IoctlArguments.MutableBytesOf(ref cmd);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        return Host.Ioctl(Fd, IommuTestCmd.Command, bytes);
    }

    /// <summary>test_cmd_get_dmabuf: a dma-buf of <paramref name="length"/> bytes, which must succeed.</summary>
    public int Dmabuf(ulong length)
    {
        var fd = GetDmabuf(length);
        Assert.True(fd > 0, $"DMABUF_GET answered {fd}");
        return fd;
    }

    /// <summary>_test_cmd_revoke_dmabuf: IOMMU_TEST_OP_DMABUF_REVOKE.</summary>
    public Errno RevokeDmabuf(int dmabufFd, bool revoked)
    {
        var payload = new IommuTestPayload { DmabufRevoke = new TestDmabufRevoke { DmabufFd = dmabufFd, Revoked = revoked ? 1u : 0u } };
        return File.TestCmd(IommuTestOp.DmabufRevoke, ObjectId.None, ref payload);
    }

    /// <summary>test_ioctl_ioas_map_fixed_file: READABLE | WRITEABLE at <paramref name="iova"/>.</summary>
    public Errno MapFixedFile(IoasId ioas, int fd, ulong start, ulong length, ulong iova)
        => File.IoasMapFile(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, fd, start, length, ref iova);

    /// <summary>_test_cmd_pasid_attach: IOMMU_TEST_OP_PASID_ATTACH of <paramref name="pasid"/> of the mock device <paramref name="stdev"/>.</summary>
    public Errno PasidAttach(SelftestId stdev, uint pasid, ObjectId pt) => PasidAttach(stdev, pasid, pt, out _);

    /// <summary>IOMMU_TEST_OP_PASID_ATTACH, also returning the pt_id the kernel wrote back (the HWPT used).</summary>
    public Errno PasidAttach(SelftestId stdev, uint pasid, ObjectId pt, out ObjectId result) => PasidCommand(IommuTestOp.PasidAttach, stdev, pasid, pt, out result);

    /// <summary>_test_cmd_pasid_replace: IOMMU_TEST_OP_PASID_REPLACE.</summary>
    public Errno PasidReplace(SelftestId stdev, uint pasid, ObjectId pt) => PasidCommand(IommuTestOp.PasidReplace, stdev, pasid, pt, out _);

    /// <summary>_test_cmd_pasid_detach: IOMMU_TEST_OP_PASID_DETACH.</summary>
    public Errno PasidDetach(SelftestId stdev, uint pasid)
    {
        var payload = new IommuTestPayload { PasidDetach = new TestPasidDetach { Pasid = pasid } };
        return File.TestCmd(IommuTestOp.PasidDetach, stdev, ref payload);
    }

    /// <summary>test_cmd_pasid_check_hwpt: <paramref name="pasid"/> is attached to <paramref name="hwpt"/> (None: detached).</summary>
    public Errno PasidCheckHwpt(SelftestId stdev, uint pasid, HwptId hwpt)
    {
        var payload = new IommuTestPayload { PasidCheck = new TestPasidCheck { Pasid = pasid, HwptId = hwpt } };
        return File.TestCmd(IommuTestOp.PasidCheckHwpt, stdev, ref payload);
    }

    private Errno PasidCommand(IommuTestOp op, SelftestId stdev, uint pasid, ObjectId pt, out ObjectId result)
    {
        var payload = new IommuTestPayload { PasidAttach = new TestPasidAttach { Pasid = pasid, PtId = pt } };
        var errno = File.TestCmd(op, stdev, ref payload);
        result = payload.PasidAttach.PtId;
        return errno;
    }

    /// <summary>IOMMU_TEST_OP_TRIGGER_VEVENT once.</summary>
    public Errno TriggerVevent(DeviceId device)
    {
        var payload = new IommuTestPayload { TriggerVevent = new TestTriggerVevent { DevId = device } };
        return File.TestCmd(IommuTestOp.TriggerVevent, ObjectId.None, ref payload);
    }

    /// <summary>test_cmd_trigger_vevents: <paramref name="count"/> vEVENTs from the device, each succeeding.</summary>
    public void TriggerVevents(DeviceId device, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(Errno.None, TriggerVevent(device));
        }
    }

    /// <summary>
    /// _test_cmd_read_vevents: poll, then read <paramref name="count"/> (header + iommu_viommu_event_selftest)
    /// records; EFAULT when nothing was read; EOVERFLOW at a LOST_EVENTS header or a sequence gap; EINVAL when
    /// the (first) event's virtual ID is not <paramref name="virtId"/>. <paramref name="previousSequence"/> follows
    /// the headers read.
    /// </summary>
    public Errno ReadVevents(int fd, int count, uint virtId, ref int previousSequence)
    {
        const int RecordSize = 8 + 4;
        Assert.NotEqual(PollEvents.Nval, Process.Poll(fd));
        var data = new byte[count * RecordSize];
        if (Process.ReadFile(fd, data) <= 0)
        {
            return Errno.EFAULT;
        }

        for (var i = 0; i < count; i++)
        {
            var header = System.Runtime.InteropServices.MemoryMarshal.Read<IommufdVeventHeader>(data.AsSpan(i * RecordSize));
            var gap = unchecked(header.Sequence - (uint)previousSequence);
            if ((header.Flags & IommuVeventqFlags.LostEvents) != 0 || gap > 1)
            {
                previousSequence = (int)header.Sequence;
                return Errno.EOVERFLOW;
            }

            previousSequence = (int)header.Sequence;

            // The kernel helper checks the first event's data whatever i is.
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)) != virtId)
            {
                return Errno.EINVAL;
            }
        }

        return Errno.None;
    }

    /// <summary>Reads user memory of the test process (asserting it is readable).</summary>
    public byte[] ReadUser(ulong address, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(Errno.None, Host.Read(address, bytes));
        return bytes;
    }

    /// <summary>Writes user memory of the test process (asserting it is writable).</summary>
    public void WriteUser(ulong address, ReadOnlySpan<byte> bytes) => Assert.Equal(Errno.None, Host.Write(address, bytes));

    public virtual void Dispose()
    {
        try
        {
            Assert.Equal(Errno.None, Host.Close(Fd));
            Fd = Host.OpenIommufd();
            Assert.Equal(Errno.None, CheckRefs(Buffer, BufferSize, 0));
            Assert.Equal(Errno.None, Host.Close(Fd));

            // Only the simulation shows the kernel's WARNs to the test.
            if (Host.KernelWarnings is { } warnings)
            {
                Assert.Empty(warnings);
            }
        }
        finally
        {
            Host.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
