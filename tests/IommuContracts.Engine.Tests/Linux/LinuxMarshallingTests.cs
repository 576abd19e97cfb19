using System.Buffers.Binary;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Linux;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Linux;

/// <summary>
/// The same typed stub call, issued once through the engine and once through the Linux backend with a
/// recording stand-in for the kernel: ioctl(2) would be handed the same command and the same struct bytes the
/// engine reads at its argument address, on the fd that open returned. The stand-in then answers with the
/// engine's response, written through the pointer the backend passed, and the stub's outputs and errno must
/// come out equal: the pointer is the stub's own struct, not a copy.
/// </summary>
public sealed class LinuxMarshallingTests : IDisposable
{
    private const ulong Page = KapiHost.PageSize;

    private readonly KapiHost _host = new();
    private readonly RecordingSyscalls _kernel = new();
    private readonly RecordingSimulatedFile _engineIommufd;
    private readonly LinuxIommufdFile _realIommufd;

    public LinuxMarshallingTests()
    {
        _engineIommufd = new RecordingSimulatedFile(_host.Process, _host.Fd);
        Assert.Equal(Errno.None, LinuxIommufdFile.Open(_kernel, LinuxIommufdFile.DefaultPath, out var file));
        _realIommufd = file!;
    }

    public void Dispose() => _realIommufd.Dispose();

    [Fact]
    public void IOMMU_IOAS_ALLOC_passes_the_same_bytes_and_returns_the_kernels_ioas_id()
    {
        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file => (file.IoasAlloc(IommuIoasAllocFlags.None, out var ioas), ioas));

        Assert.Equal(Errno.None, outputs.Errno);
        Assert.True(outputs.Value.IsValid);
    }

    [Fact]
    public void IOMMU_IOAS_MAP_passes_user_va_and_length_as_the_uapi_lays_them_out_and_returns_the_chosen_iova()
    {
        var ioas = _host.AllocIoas();
        var userVa = _host.Buffer(4 * Page);
        var flags = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file =>
        {
            ulong iova = 0;
            return (file.IoasMap(flags, ioas, userVa, 4 * Page, ref iova), iova);
        });

        Assert.Equal(Errno.None, outputs.Errno);
        Assert.NotEqual(0UL, outputs.Value);

        // struct iommu_ioas_map, packed by hand: size, flags, ioas_id, __reserved, user_va, length, iova (in: 0).
        var expected = new byte[IommuIoasMap.NativeSize];
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(0), IommuIoasMap.NativeSize);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(4), (uint)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(8), ioas.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(16), userVa);
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(24), 4 * Page);
        var call = _kernel.Ioctls[^1];
        Assert.Equal((nuint)0x3B85, call.Request);
        Assert.Equal(expected, call.Bytes);
    }

    [Fact]
    public void IOMMU_IOAS_IOVA_RANGES_reports_the_count_on_EMSGSIZE_through_the_same_pointer()
    {
        var ioas = _host.AllocIoas();
        var rangesVa = _host.Buffer(Page);

        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file =>
        {
            uint count = 0;
            var errno = file.IoasIovaRanges(ioas, rangesVa, ref count, out var alignment);
            return (errno, (count, alignment));
        });

        Assert.Equal(Errno.EMSGSIZE, outputs.Errno);
        Assert.Equal(1u, outputs.Value.count);
    }

    [Fact]
    public void IOMMU_IOAS_UNMAP_returns_the_bytes_unmapped()
    {
        var ioas = _host.AllocIoas();
        Assert.Equal(Errno.None, _host.Map(ioas, _host.Buffer(2 * Page), 2 * Page, 0x4000_0000));

        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file =>
        {
            var length = ulong.MaxValue;
            return (file.IoasUnmap(ioas, 0, ref length), length);
        });

        Assert.Equal(Errno.None, outputs.Errno);
        Assert.Equal(2 * Page, outputs.Value);
    }

    [Fact]
    public void IOMMU_DESTROY_of_a_missing_object_is_the_kernels_ENOENT()
    {
        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file => (file.Destroy(new ObjectId(77)), 0));

        Assert.Equal(Errno.ENOENT, outputs.Errno);
    }

    [Fact]
    public void VFIO_CHECK_EXTENSION_passes_the_value_itself_and_returns_the_kernels_answer()
    {
        const ulong VfioType1v2Iommu = 3;

        var outputs = AssertSameIoctl(_engineIommufd, _realIommufd, file => (file.VfioCheckExtension(VfioType1v2Iommu, out var supported), supported));

        Assert.Equal(Errno.None, outputs.Errno);
        Assert.Equal(1, outputs.Value);
        var call = _kernel.Ioctls[^1];
        Assert.Equal((nuint)VfioType1v2Iommu, call.Argument);
        Assert.Null(call.Bytes);
    }

    [Fact]
    public void VFIO_DEVICE_BIND_IOMMUFD_on_a_device_cdev_passes_the_iommufd_number_and_returns_the_dev_id()
    {
        var node = VfioPciDriver.Bind(_host.AddBareDevice());
        var engineDevice = new RecordingSimulatedFile(_host.Process, _host.Process.OpenVfioDevice(node));
        Assert.Equal(Errno.None, LinuxVfioDeviceFile.Open(_kernel, "/dev/vfio/devices/vfio0", out var realDevice));
        using var _ = realDevice;
        var iommufd = _host.Fd;

        var outputs = AssertSameIoctl(engineDevice, realDevice!, file => (file.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var id), id));

        Assert.Equal(Errno.None, outputs.Errno);
        Assert.True(outputs.Value.IsValid);
        Assert.Equal(iommufd, BinaryPrimitives.ReadInt32LittleEndian(_kernel.Ioctls[^1].Bytes.AsSpan(8)));
    }

    [Fact]
    public void The_iova_ranges_helper_probes_the_count_then_lets_the_kernel_write_into_the_pinned_array()
    {
        IommuIovaRange[] kernelRanges = [new(0, 0x7FF_FFFF), new(0x810_0000, ulong.MaxValue)];
        _kernel.Kernel = call =>
        {
            // struct iommu_ioas_iova_ranges: size 0, ioas_id 4, num_iovas 8, __reserved 12, allowed_iovas 16, out_iova_alignment 24.
            var capacity = BinaryPrimitives.ReadUInt32LittleEndian(call.Bytes.AsSpan(8));
            var pointer = BinaryPrimitives.ReadUInt64LittleEndian(call.Bytes.AsSpan(16));
            if (capacity >= kernelRanges.Length)
            {
                Assert.Equal(Errno.None, LinuxProcessMemory.Current.Write(pointer, System.Runtime.InteropServices.MemoryMarshal.AsBytes(kernelRanges.AsSpan())));
            }

            Span<byte> count = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(count, (uint)kernelRanges.Length);
            Assert.Equal(Errno.None, LinuxProcessMemory.Current.Write(call.Argument + 8, count));
            Span<byte> alignment = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(alignment, 0x1000);
            Assert.Equal(Errno.None, LinuxProcessMemory.Current.Write(call.Argument + 24, alignment));
            return capacity >= kernelRanges.Length ? 0 : Errno.EMSGSIZE.ToSyscallResult();
        };

        Assert.Equal(Errno.None, _realIommufd.IoasIovaRanges(new IoasId(5), out IommuIovaRange[] ranges, out var rangesAlignment));

        Assert.Equal(kernelRanges, ranges);
        Assert.Equal(0x1000UL, rangesAlignment);
        var calls = _kernel.Ioctls;
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal((nuint)IommuIoasIovaRanges.Command, c.Request));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(calls[0].Bytes.AsSpan(8)));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(calls[0].Bytes.AsSpan(16)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(calls[1].Bytes.AsSpan(8)));
        Assert.NotEqual(0UL, BinaryPrimitives.ReadUInt64LittleEndian(calls[1].Bytes.AsSpan(16)));
    }

    [Fact]
    public void A_user_pointer_outside_the_argument_throws_before_reaching_the_kernel()
    {
        var argument = new byte[16];

        Assert.Throws<ArgumentOutOfRangeException>(() => _realIommufd.Ioctl(IommuIoasIovaRanges.Command, argument, 9, new byte[8]));

        Assert.Empty(_kernel.Ioctls);
    }

    private (Errno Errno, T Value) AssertSameIoctl<T>(RecordingSimulatedFile engine, LinuxIoctlFile real, Func<IIoctlFile, (Errno, T)> stubCall)
    {
        var engineOutputs = stubCall(engine);
        var engineCall = engine.Calls[^1];

        _kernel.Kernel = call =>
        {
            if (engineCall.Response is not null)
            {
                Assert.Equal(Errno.None, LinuxProcessMemory.Current.Write(call.Argument, engineCall.Response));
            }

            return engineCall.Result;
        };
        var realOutputs = stubCall(real);
        var realCall = _kernel.Ioctls[^1];

        Assert.Equal(real.Fd, realCall.Fd);
        Assert.Equal((nuint)engineCall.Command, realCall.Request);
        if (engineCall.Received is null)
        {
            Assert.Equal((nuint)engineCall.Argument, realCall.Argument);
        }
        else
        {
            Assert.NotNull(realCall.Bytes);
            Assert.Equal(engineCall.Received, realCall.Bytes);
        }

        Assert.Equal(engineOutputs, realOutputs);
        return engineOutputs;
    }
}
