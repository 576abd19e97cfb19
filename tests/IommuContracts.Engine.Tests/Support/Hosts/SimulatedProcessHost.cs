using IommuContracts.Engine.Host;
using IommuContracts.Engine.Profiles;

namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>A simulated process: what every xunit test runs on, with the kernel profile it was given.</summary>
public sealed class SimulatedProcessHost : IProcessHost
{
    /// <summary>Wraps <paramref name="process"/>.</summary>
    public SimulatedProcessHost(SimulatedProcess process)
    {
        Process = process;
        Name = $"simulated {process.Kernel.Profile}";
    }

    /// <summary>The kernel selftests' process: root, no RLIMIT_MEMLOCK, on a fresh machine running <paramref name="profile"/>.</summary>
    public static SimulatedProcessHost Root(KernelProfile? profile = null)
        => new(new SimulatedProcess(new SimulatedKernel(profile)) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue });

    /// <summary>The process.</summary>
    public SimulatedProcess Process { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SimulatedProcess? Simulated => Process;

    /// <inheritdoc />
    public IReadOnlyCollection<string>? KernelWarnings => Process.Kernel.Log.Warnings;

    /// <inheritdoc />
    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
        => Process.Mmap(length, protection, flags, alignment);

    /// <inheritdoc />
    public Errno Munmap(ulong address, ulong length) => Process.Munmap(address, length);

    /// <inheritdoc />
    public Errno Read(ulong address, Span<byte> destination) => Process.Read(address, destination);

    /// <inheritdoc />
    public Errno Write(ulong address, ReadOnlySpan<byte> source) => Process.Write(address, source);

    /// <inheritdoc />
    public int OpenIommufd() => Process.OpenIommufd();

    /// <inheritdoc />
    public Errno Close(int fd) => Process.Close(fd);

    /// <inheritdoc />
    public int Ioctl(int fd, uint command, ulong argument) => Process.Ioctl(fd, command, argument);

    /// <inheritdoc />
    public int Ioctl(int fd, uint command, Span<byte> argument) => Process.Ioctl(fd, command, argument);

    /// <inheritdoc />
    public IIoctlFile File(int fd) => Process.File(fd);

    /// <inheritdoc />
    public void Adopt(int fd)
    {
        // The simulated process owns its fd table; nothing outlives it.
    }

    /// <inheritdoc />
    public SimulatedProcess RequireSimulated(string facility) => Process;

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
