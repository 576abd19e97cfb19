using IommuContracts.Contracts;

namespace IommuContracts.Linux;

/// <summary>
/// A real VFIO device cdev, <c>/dev/vfio/devices/vfioN</c> (CONFIG_VFIO_DEVICE_CDEV), driven by the same typed
/// stubs as the engine's simulated device file. It starts unbound: bind it to an iommufd with
/// <c>device.VfioDeviceBindIommufd(flags, iommufd.Fd, ...)</c> before any other device ioctl. The analyzers follow
/// it from <see cref="Open(string, out LinuxVfioDeviceFile?)"/> (Opened, then Bound) to <see cref="LinuxIoctlFile.Dispose()"/>.
/// </summary>
public sealed class LinuxVfioDeviceFile : LinuxIoctlFile
{
    /// <summary>The directory of VFIO device cdevs; the device bound to vfio-pci appears as <c>vfioN</c> in it.</summary>
    public const string DeviceDirectory = "/dev/vfio/devices";

    private LinuxVfioDeviceFile(LinuxFileDescriptor descriptor)
        : base(descriptor)
    {
    }

    /// <summary>
    /// Opens <paramref name="path"/> read-write and close-on-exec. Returns the errno open(2) reports (ENOENT,
    /// EACCES, EBUSY while another user holds the device, ...), or <see cref="LinuxIoctlFile.UnsupportedPlatformErrno"/>
    /// where <see cref="LinuxIoctlFile.IsSupported"/> is false; <paramref name="file"/> is set only on success.
    /// </summary>
    [MustCheck]
    public static Errno Open(string path, [Acquires("Opened")] out LinuxVfioDeviceFile? file) => Open(LinuxSyscalls.Current, path, out file);

    [MustCheck]
    internal static Errno Open(ILinuxSyscalls syscalls, string path, [Acquires("Opened")] out LinuxVfioDeviceFile? file)
    {
        var result = OpenDescriptor(syscalls, path, out var descriptor);
        file = result == Errno.None ? new LinuxVfioDeviceFile(descriptor!) : null;
        return result;
    }
}
