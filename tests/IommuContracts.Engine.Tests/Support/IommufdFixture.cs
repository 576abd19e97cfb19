using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' setup in C#: a root process with /dev/iommu open and the 16-page global buffer
/// (THP aligned). Teardown mirrors teardown_iommufd: close, reopen, and check no page of the buffer is
/// still pinned, and that the kernel printed no WARN.
/// </summary>
public class IommufdFixture : IDisposable
{
    public const ulong PageSize = SimulatedProcess.PageSize;
    public const ulong BufferSize = 16 * PageSize;
    public const ulong HugePageSize = 2UL << 20;

    public IommufdFixture()
    {
        Process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        Buffer = Process.Mmap(BufferSize, MemoryProtection.ReadWrite, MmapFlags.None, HugePageSize);
        Fd = Process.OpenIommufd();
    }

    public SimulatedProcess Process { get; }

    public int Fd { get; private set; }

    public IIoctlFile File => Process.File(Fd);

    /// <summary>The global test buffer (BUFFER_SIZE bytes, 2 MiB aligned).</summary>
    public ulong Buffer { get; }

    public int Ioctl(uint command, ulong argument) => Process.Ioctl(Fd, command, argument);

    public int Ioctl(uint command, Span<byte> argument) => Process.Ioctl(Fd, command, argument);

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

    public virtual void Dispose()
    {
        Assert.Equal(Errno.None, Process.Close(Fd));
        Fd = Process.OpenIommufd();
        Assert.Equal(Errno.None, CheckRefs(Buffer, BufferSize, 0));
        Assert.Equal(Errno.None, Process.Close(Fd));
        Assert.Empty(Process.Kernel.Log.Warnings);
        GC.SuppressFinalize(this);
    }
}
