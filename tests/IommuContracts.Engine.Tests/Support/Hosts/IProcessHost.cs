using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>
/// The process a selftest port runs in: user memory (mmap, munmap, read, write), <c>/dev/iommu</c> and raw
/// ioctls with the argument's address, as the kernel selftests see them. The same test code runs on a simulated
/// process (<see cref="SimulatedProcessHost"/>) or on this very process against the running kernel
/// (<see cref="LinuxProcessHost"/>); a test that needs a facility only the simulation has asks for it through
/// <see cref="RequireSimulated"/>, which skips it on the real kernel with the facility's name.
/// </summary>
public interface IProcessHost : IDisposable
{
    /// <summary>What this host is, for reports ("simulated newest", "linux /dev/iommu", ...).</summary>
    string Name { get; }

    /// <summary>The simulated process behind this host, or null on the real kernel.</summary>
    SimulatedProcess? Simulated { get; }

    /// <summary>The kernel's WARN lines so far where the host can see them (the simulation), null otherwise.</summary>
    IReadOnlyCollection<string>? KernelWarnings { get; }

    /// <summary>mmap of anonymous memory: zero-filled, aligned as asked, followed by an inaccessible guard page.</summary>
    /// <exception cref="HostUnsupportedException">The host cannot provide such memory (MAP_HUGETLB without huge pages).</exception>
    ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize);

    /// <summary>munmap.</summary>
    Errno Munmap(ulong address, ulong length);

    /// <summary>Copies from user memory (EFAULT where it is not readable).</summary>
    Errno Read(ulong address, Span<byte> destination);

    /// <summary>Copies to user memory (EFAULT where it is not writable).</summary>
    Errno Write(ulong address, ReadOnlySpan<byte> source);

    /// <summary>open("/dev/iommu", O_RDWR): the fd, or <c>-errno</c>.</summary>
    int OpenIommufd();

    /// <summary>open("/dev/vfio/devices/vfio<paramref name="index"/>", O_RDWR): the fd, or <c>-errno</c> (ENOENT without such a device).</summary>
    int OpenVfioDevice(int index);

    /// <summary>close(2).</summary>
    Errno Close(int fd);

    /// <summary>ioctl(fd, command, argument) with the argument an address in this process (or a plain value).</summary>
    int Ioctl(int fd, uint command, ulong argument);

    /// <summary>ioctl with a struct the caller holds, as the real syscall sees it (copied in and back).</summary>
    int Ioctl(int fd, uint command, Span<byte> argument);

    /// <summary>The fd as an <see cref="IIoctlFile"/> for the generated stubs.</summary>
    IIoctlFile File(int fd);

    /// <summary>An fd an ioctl installed (an access fd): the host closes it on dispose if the test did not.</summary>
    void Adopt(int fd);

    /// <summary>The simulated process, for a test that needs it; on the real kernel the test is skipped naming <paramref name="facility"/>.</summary>
    /// <exception cref="SimulatedOnlyException">This host is the real kernel.</exception>
    SimulatedProcess RequireSimulated(string facility);
}
