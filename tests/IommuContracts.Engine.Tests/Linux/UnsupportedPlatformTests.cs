using IommuContracts.Linux;

namespace IommuContracts.Engine.Tests.Linux;

/// <summary>
/// Where the Linux backend cannot run (another OS, or an architecture with other ioctl or errno numbers),
/// every entry point answers <see cref="LinuxIoctlFile.UnsupportedPlatformErrno"/> (ENOSYS) instead of
/// throwing DllNotFoundException: the syscalls chosen there never load libc.
/// </summary>
public class UnsupportedPlatformTests
{
    [Fact]
    public void The_unsupported_platform_errno_is_ENOSYS()
        => Assert.Equal(Errno.ENOSYS, LinuxIoctlFile.UnsupportedPlatformErrno);

    [Fact]
    public void Opening_either_file_is_ENOSYS_and_yields_no_file()
    {
        var unsupported = UnsupportedPlatformSyscalls.Instance;

        Assert.Equal(Errno.ENOSYS, LinuxIommufdFile.Open(unsupported, LinuxIommufdFile.DefaultPath, out var iommufd));
        Assert.Null(iommufd);
        Assert.Equal(Errno.ENOSYS, LinuxVfioDeviceFile.Open(unsupported, "/dev/vfio/devices/vfio0", out var device));
        Assert.Null(device);
    }

    [Fact]
    public void Mapping_and_process_memory_are_ENOSYS()
    {
        var unsupported = UnsupportedPlatformSyscalls.Instance;
        var buffer = new byte[8];

        Assert.Equal(Errno.ENOSYS, AnonymousMapping.Map(unsupported, 4096, 0, out var mapping));
        Assert.Null(mapping);
        Assert.Equal(Errno.ENOSYS, new LinuxProcessMemory(unsupported).Read(0x1000, buffer));
        Assert.Equal(Errno.ENOSYS, new LinuxProcessMemory(unsupported).Write(0x1000, buffer));
    }

    [Fact]
    public void The_public_open_reaches_the_kernel_only_where_the_backend_is_supported()
    {
        var missing = Path.Combine(Path.GetTempPath(), Path.GetRandomFileName(), "iommu");

        var opened = LinuxIommufdFile.Open(missing, out var file);

        Assert.Null(file);
        Assert.Equal(LinuxIoctlFile.IsSupported ? Errno.ENOENT : Errno.ENOSYS, opened);
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is
                System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64)
        {
            Assert.True(LinuxIoctlFile.IsSupported);
        }
        else if (!OperatingSystem.IsLinux())
        {
            Assert.False(LinuxIoctlFile.IsSupported);
        }
    }
}
