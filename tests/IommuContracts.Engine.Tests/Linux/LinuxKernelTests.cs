using System.Globalization;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Linux;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Linux;

/// <summary>
/// The Linux backend against the kernel of the machine running the tests: open's errno, ioctls that the real
/// kernel refuses with ENOTTY (files that are not iommufd or VFIO devices), the fd flags, close, and the
/// memory helpers. Where /dev/iommu exists, a real IOAS is allocated and destroyed.
/// </summary>
public sealed class LinuxKernelTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("iommucontracts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [LinuxFact]
    public void Opening_a_missing_node_is_ENOENT_and_yields_no_file()
    {
        var missing = Path.Combine(_directory, "iommu");

        Assert.Equal(Errno.ENOENT, LinuxIommufdFile.Open(missing, out var iommufd));
        Assert.Null(iommufd);
        Assert.Equal(Errno.ENOENT, LinuxVfioDeviceFile.Open(Path.Combine(_directory, "vfio0"), out var device));
        Assert.Null(device);
    }

    [LinuxFact]
    public void Open_reports_the_kernels_errno_for_a_directory_and_for_a_path_through_a_file()
    {
        Assert.Equal(Errno.EISDIR, LinuxIommufdFile.Open(_directory, out _));
        Assert.Equal(Errno.ENOTDIR, LinuxVfioDeviceFile.Open("/dev/null/vfio0", out _));
    }

    [LinuxFact]
    public void The_default_dev_iommu_is_ENOENT_where_absent_and_allocates_an_ioas_where_present()
    {
        var opened = LinuxIommufdFile.Open(out var iommufd);
        if (!File.Exists(LinuxIommufdFile.DefaultPath))
        {
            Assert.Equal(Errno.ENOENT, opened);
            return;
        }

        if (opened is Errno.EACCES or Errno.EPERM)
        {
            return; // the node exists but this user may not open it: nothing more to learn here.
        }

        Assert.Equal(Errno.None, opened);
        using var real = iommufd!;
        Assert.Equal(Errno.None, real.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        Assert.True(ioas.IsValid);
        Assert.Equal(Errno.None, real.Destroy(ioas));
        Assert.Equal(Errno.ENOENT, real.Destroy(ioas));
    }

    [LinuxFact]
    public void IOMMU_IOAS_ALLOC_on_dev_null_is_the_real_kernels_ENOTTY()
    {
        Assert.Equal(Errno.None, LinuxIommufdFile.Open("/dev/null", out var file));
        using (file)
        {
            Assert.Equal(Errno.ENOTTY, file!.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
            Assert.False(ioas.IsValid);
        }
    }

    [LinuxFact]
    public void IOMMU_IOAS_MAP_of_mmapped_memory_on_a_regular_file_is_ENOTTY_and_leaves_iova_alone()
    {
        Assert.Equal(Errno.None, AnonymousMapping.Map(4096, out var buffer));
        using (buffer)
        {
            Assert.Equal(Errno.None, LinuxIommufdFile.Open(TemporaryFile(), out var file));
            using (file)
            {
                ulong iova = 0x1_0000_0000;
                var flags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable;
                Assert.Equal(Errno.ENOTTY, file!.IoasMap(flags, new IoasId(1), buffer!.Address, buffer.Length, ref iova));
                Assert.Equal(0x1_0000_0000UL, iova);
            }
        }
    }

    [LinuxFact]
    public void VFIO_DEVICE_BIND_IOMMUFD_and_a_value_ioctl_on_non_devices_are_ENOTTY()
    {
        Assert.Equal(Errno.None, LinuxIommufdFile.Open("/dev/null", out var iommufd));
        Assert.Equal(Errno.None, LinuxVfioDeviceFile.Open(TemporaryFile(), out var device));
        using (iommufd)
        using (device)
        {
            Assert.Equal(Errno.ENOTTY, device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd!.Fd, 0, out var id));
            Assert.False(id.IsValid);
            Assert.Equal(Errno.ENOTTY, iommufd.VfioCheckExtension(3, out var supported));
            Assert.Equal(0, supported);
        }
    }

    [LinuxFact]
    public void The_fd_is_open_read_write_and_close_on_exec()
    {
        Assert.Equal(Errno.None, LinuxIommufdFile.Open(TemporaryFile(), out var file));
        using (file)
        {
            var flags = FdInfoFlags(file!.Fd);
            const int AccessMode = 0x3, ReadWrite = 0x2, CloseOnExec = 0x80000;
            Assert.Equal(ReadWrite, flags & AccessMode);
            Assert.Equal(CloseOnExec, flags & CloseOnExec);
        }
    }

    [LinuxFact]
    public void After_dispose_the_fd_is_closed_and_every_ioctl_is_EBADF()
    {
        var path = TemporaryFile();
        Assert.Equal(Errno.None, LinuxIommufdFile.Open(path, out var file));
        var fd = file!.Fd;
        Assert.Equal(path, FdTarget(fd));

        file.Dispose();
        file.Dispose();

        Assert.True(file.IsClosed);
        Assert.Equal(-1, file.Fd);
        Assert.NotEqual(path, FdTarget(fd));
        Assert.Equal(Errno.EBADF, file.IoasAlloc(IommuIoasAllocFlags.None, out _));
        Assert.Equal(Errno.EBADF, file.VfioCheckExtension(3, out _));
    }

    [LinuxFact]
    public void AnonymousMapping_is_aligned_zeroed_and_readable_through_LinuxProcessMemory_until_unmapped()
    {
        const ulong HugePage = 2UL << 20;
        Assert.Equal(Errno.None, AnonymousMapping.Map(3 * 4096 + 1, out var mapping, HugePage));
        var memory = LinuxProcessMemory.Current;
        Assert.Equal(0UL, mapping!.Address % HugePage);
        Assert.Equal(0UL, mapping.Length % (ulong)Environment.SystemPageSize);
        Assert.True(mapping.Length >= 3 * 4096 + 1);

        var zeroes = new byte[mapping.Length];
        Assert.Equal(Errno.None, memory.Read(mapping.Address, zeroes));
        Assert.All(zeroes, b => Assert.Equal(0, b));

        var message = "iova 0x1_0000_0000"u8.ToArray();
        var last = mapping.Address + mapping.Length - (ulong)message.Length;
        Assert.Equal(Errno.None, memory.Write(last, message));
        var readBack = new byte[message.Length];
        Assert.Equal(Errno.None, ((IUserMemory)memory).CopyFromUser(last, readBack));
        Assert.Equal(message, readBack);

        // One byte past the end crosses into memory this mapping does not own.
        Assert.Equal(Errno.EFAULT, memory.Read(last + 1, readBack));

        mapping.Dispose();
        mapping.Dispose();
        Assert.Equal(Errno.EFAULT, memory.Read(mapping.Address, readBack));
        Assert.Equal(Errno.EFAULT, memory.Write(mapping.Address, message));
    }

    [LinuxFact]
    public void LinuxProcessMemory_answers_EFAULT_for_the_null_page_instead_of_crashing()
    {
        var buffer = new byte[8];
        Assert.Equal(Errno.EFAULT, LinuxProcessMemory.Current.Read(0, buffer));
        Assert.Equal(Errno.EFAULT, ((IUserMemory)LinuxProcessMemory.Current).CopyToUser(0, buffer));
    }

    [LinuxFact]
    public void AnonymousMapping_refuses_a_zero_length_and_an_alignment_that_is_not_a_power_of_two()
    {
        Assert.Equal(Errno.EINVAL, AnonymousMapping.Map(0, out var empty));
        Assert.Null(empty);
        Assert.Equal(Errno.EINVAL, AnonymousMapping.Map(4096, out var skewed, 3 * 4096));
        Assert.Null(skewed);
    }

    private string TemporaryFile()
    {
        var path = Path.Combine(_directory, Path.GetRandomFileName());
        File.WriteAllBytes(path, []);
        return path;
    }

    private static string? FdTarget(int fd)
        => new FileInfo($"/proc/self/fd/{fd}") is { Exists: true } link ? link.LinkTarget : null;

    // /proc/self/fdinfo/N has "flags:\t0nnnnnnn" (octal).
    private static int FdInfoFlags(int fd)
    {
        var line = File.ReadLines($"/proc/self/fdinfo/{fd}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
        return Convert.ToInt32(line["flags:".Length..].Trim(), 8);
    }
}
