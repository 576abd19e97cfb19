using IommuContracts.Engine.Tests.Support;
using IommuContracts.Linux;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Linux;

/// <summary>
/// Open and close as the kernel sees them, through the recording syscall seam: the open flags, errno on a
/// failed open, one close per file however often it is disposed, no ioctl on a closed fd (its number may name
/// another file by then), and a close that waits for an ioctl in flight.
/// </summary>
public class LinuxFileLifetimeTests
{
    [Fact]
    public void Open_asks_for_read_write_close_on_exec_and_ioctls_go_to_the_fd_it_returned()
    {
        var kernel = new RecordingSyscalls();

        Assert.Equal(Errno.None, LinuxIommufdFile.Open(kernel, "/dev/iommu", out var file));
        using (file)
        {
            Assert.Equal(("/dev/iommu", 0x2 | 0x80000), Assert.Single(kernel.Opens));
            var opened = file!;
            Assert.Equal(Errno.None, opened.IoasAlloc(IommuIoasAllocFlags.None, out _));
            Assert.Equal(opened.Fd, Assert.Single(kernel.Ioctls).Fd);
        }
    }

    [Fact]
    public void A_refused_open_returns_the_errno_and_no_file_to_close()
    {
        var kernel = new RecordingSyscalls { OpenErrno = Errno.EACCES };

        Assert.Equal(Errno.EACCES, LinuxVfioDeviceFile.Open(kernel, "/dev/vfio/devices/vfio0", out var file));

        Assert.Null(file);
        Assert.Empty(kernel.Closes);
    }

    [Fact]
    public void Dispose_closes_once_and_later_ioctls_are_EBADF_without_reaching_the_kernel()
    {
        var kernel = new RecordingSyscalls();
        Assert.Equal(Errno.None, LinuxIommufdFile.Open(kernel, "/dev/iommu", out var file));
        var fd = file!.Fd;

        file.Dispose();
        file.Dispose();

        Assert.Equal(fd, Assert.Single(kernel.Closes));
        Assert.Equal(Errno.EBADF, file.IoasAlloc(IommuIoasAllocFlags.None, out _));
        Assert.Equal(Errno.EBADF, file.VfioCheckExtension(3, out _));
        Assert.Equal(Errno.EBADF, ErrnoExtensions.FromSyscallResult(file.Ioctl(IommuDestroy.Command, 0UL)));
        Assert.Empty(kernel.Ioctls);
    }

    [Fact]
    public async Task Close_during_an_ioctl_waits_for_it_and_the_ioctl_keeps_its_result()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var kernel = new RecordingSyscalls();
        kernel.Kernel = _ =>
        {
            entered.Set();
            Assert.True(release.Wait(TimeSpan.FromSeconds(10)));
            return Errno.EBUSY.ToSyscallResult();
        };
        Assert.Equal(Errno.None, LinuxIommufdFile.Open(kernel, "/dev/iommu", out var file));

        var inFlight = Task.Run(() => file!.IoasAlloc(IommuIoasAllocFlags.None, out _));
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        file!.Dispose();

        Assert.Empty(kernel.Closes);
        Assert.Equal(Errno.EBADF, file.Destroy(new ObjectId(1)));
        release.Set();
        Assert.Equal(Errno.EBUSY, await inFlight);
        Assert.Single(kernel.Closes);
        Assert.Single(kernel.Ioctls);
    }
}
