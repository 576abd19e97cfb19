using IommuContracts.Contracts;

namespace IommuContracts.Linux;

/// <summary>
/// A real iommufd: <c>/dev/iommu</c> opened in this process, driven by the same typed stubs as the engine's
/// simulated file (<c>iommufd.IoasAlloc(...)</c>, <c>IoasMap</c>, <c>Destroy</c>, ...).
/// </summary>
public sealed class LinuxIommufdFile : LinuxIoctlFile
{
    /// <summary>The iommufd character device.</summary>
    public const string DefaultPath = "/dev/iommu";

    private LinuxIommufdFile(LinuxFileDescriptor descriptor)
        : base(descriptor)
    {
    }

    /// <summary>Opens <see cref="DefaultPath"/>: ENOENT without CONFIG_IOMMUFD, EACCES without permission on the node.</summary>
    [MustCheck]
    public static Errno Open([Acquires("Opened")] out LinuxIommufdFile? file) => Open(DefaultPath, out file);

    /// <summary>
    /// Opens <paramref name="path"/> read-write and close-on-exec. Returns the errno open(2) reports, or
    /// <see cref="LinuxIoctlFile.UnsupportedPlatformErrno"/> where <see cref="LinuxIoctlFile.IsSupported"/> is false;
    /// <paramref name="file"/> is set only on success.
    /// </summary>
    [MustCheck]
    public static Errno Open(string path, [Acquires("Opened")] out LinuxIommufdFile? file) => Open(LinuxSyscalls.Current, path, out file);

    [MustCheck]
    internal static Errno Open(ILinuxSyscalls syscalls, string path, [Acquires("Opened")] out LinuxIommufdFile? file)
    {
        var result = OpenDescriptor(syscalls, path, out var descriptor);
        file = result == Errno.None ? new LinuxIommufdFile(descriptor!) : null;
        return result;
    }
}
