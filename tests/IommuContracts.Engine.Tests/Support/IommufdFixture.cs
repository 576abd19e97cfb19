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

    /// <summary>The global test buffer (BUFFER_SIZE bytes, 2 MiB aligned).</summary>
    public ulong Buffer { get; }

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
