using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// A host that behaves like the real kernel's to the tests (no simulated process, no kernel log) while another
/// host does the work: what a scenario sees when it runs on the real kernel, on a machine without one.
/// </summary>
internal sealed class ForeignHost(IProcessHost inner) : IProcessHost
{
    public string Name => "foreign " + inner.Name;

    public SimulatedProcess? Simulated => null;

    public IReadOnlyCollection<string>? KernelWarnings => null;

    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
        => inner.Mmap(length, protection, flags, alignment);

    public Errno Munmap(ulong address, ulong length) => inner.Munmap(address, length);

    public Errno Read(ulong address, Span<byte> destination) => inner.Read(address, destination);

    public Errno Write(ulong address, ReadOnlySpan<byte> source) => inner.Write(address, source);

    public int OpenIommufd() => inner.OpenIommufd();

    public int OpenVfioDevice(int index) => inner.OpenVfioDevice(index);

    public Errno Close(int fd) => inner.Close(fd);

    public int Ioctl(int fd, uint command, ulong argument) => inner.Ioctl(fd, command, argument);

    public int Ioctl(int fd, uint command, Span<byte> argument) => inner.Ioctl(fd, command, argument);

    public IIoctlFile File(int fd) => new HostIoctlFile(this, fd);

    public void Adopt(int fd) => inner.Adopt(fd);

    public SimulatedProcess RequireSimulated(string facility) => throw new SimulatedOnlyException(facility);

    public void Dispose() => inner.Dispose();
}
