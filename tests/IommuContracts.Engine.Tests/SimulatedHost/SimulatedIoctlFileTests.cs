using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.SimulatedHost;

/// <summary>
/// The simulated file owns its fd the way a Linux file wrapper does: it exposes the number, disposing it is
/// close(2) on that fd (once), and it never closes a number that by then names another file.
/// </summary>
public sealed class SimulatedIoctlFileTests
{
    private readonly SimulatedProcess _process = new() { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };

    [Fact]
    public void The_fd_is_the_processes_number_and_disposing_closes_it()
    {
        var fd = _process.OpenIommufd();
        var iommufd = _process.File(fd);
        Assert.Equal(fd, iommufd.Fd);
        Assert.Equal(Errno.None, iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _));

        iommufd.Dispose();

        Assert.True(iommufd.IsClosed);
        Assert.Equal(-1, iommufd.Fd);
        Assert.DoesNotContain(fd, _process.OpenFds);
        Assert.Equal(Errno.EBADF, _process.Close(fd));
    }

    [Fact]
    public void Every_ioctl_after_dispose_is_EBADF_and_disposing_again_does_nothing()
    {
        var iommufd = _process.File(_process.OpenIommufd());
        iommufd.Dispose();
        var reopened = _process.OpenIommufd();

        iommufd.Dispose();

        Assert.Contains(reopened, _process.OpenFds);
        Assert.Equal(Errno.EBADF, iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _));
        Assert.Equal(Errno.EBADF, iommufd.VfioCheckExtension(VfioConstants.Type1v2Iommu, out _));
        Assert.Equal(Errno.EBADF, iommufd.IoasIovaRanges(new IoasId(1), out IommuIovaRange[] _, out _));
    }

    [Fact]
    public void Disposing_after_the_number_was_closed_and_reused_leaves_the_new_file_open()
    {
        var fd = _process.OpenIommufd();
        var stale = _process.File(fd);
        Assert.Equal(Errno.None, _process.Close(fd));
        var reused = _process.OpenIommufd();
        Assert.Equal(fd, reused);

        stale.Dispose();

        Assert.Contains(reused, _process.OpenFds);
        using var current = _process.File(reused);
        Assert.Equal(Errno.None, current.IoasAlloc(IommuIoasAllocFlags.None, out _));
    }

    [Fact]
    public void A_wrapper_of_an_fd_that_names_nothing_is_EBADF_and_disposes_harmlessly()
    {
        var other = _process.OpenIommufd();
        var nothing = _process.File(77);

        Assert.Equal(Errno.EBADF, nothing.IoasAlloc(IommuIoasAllocFlags.None, out _));
        nothing.Dispose();

        Assert.Equal([other], _process.OpenFds);
    }

    [Fact]
    public void Disposing_a_bound_and_attached_vfio_device_file_detaches_and_unbinds_like_close()
    {
        var host = new KapiHost();
        var device = host.AddBareDevice();
        var node = VfioPciDriver.Bind(device);
        var ioas = host.AllocIoas();
        using (var vfio = host.Process.File(host.Process.OpenVfioDevice(node)))
        {
            Assert.Equal(Errno.None, vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, host.Fd, 0, out _));
            Assert.Equal(Errno.None, vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt));
            Assert.True(hwpt.IsValid);
            Assert.True(device.IsBoundToIommufd);
        }

        Assert.False(device.IsBoundToIommufd);
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void A_second_buffer_is_copied_through_process_memory_and_a_pointer_outside_the_argument_throws()
    {
        using var iommufd = _process.File(_process.OpenIommufd());
        Assert.Equal(Errno.None, iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        var argument = new byte[IommuIoasIovaRanges.NativeSize];
        BitConverter.TryWriteBytes(argument.AsSpan(0), (uint)IommuIoasIovaRanges.NativeSize);
        BitConverter.TryWriteBytes(argument.AsSpan(4), ioas.Value);
        BitConverter.TryWriteBytes(argument.AsSpan(8), 1u);
        var buffer = new byte[16];

        Assert.Equal(0, iommufd.Ioctl(IommuIoasIovaRanges.Command, argument, 16, buffer));

        // The kernel wrote [0, U64_MAX] through the user pointer; the pointer itself named process memory.
        Assert.Equal(0UL, BitConverter.ToUInt64(buffer, 0));
        Assert.Equal(ulong.MaxValue, BitConverter.ToUInt64(buffer, 8));
        Assert.NotEqual(0UL, BitConverter.ToUInt64(argument, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => iommufd.Ioctl(IommuIoasIovaRanges.Command, argument, argument.Length - 4, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => iommufd.Ioctl(IommuIoasIovaRanges.Command, argument, -1, buffer));
    }
}
