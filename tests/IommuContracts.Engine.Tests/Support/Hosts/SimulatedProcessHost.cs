using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>A simulated process: what every xunit test runs on, with the kernel profile it was given.</summary>
public sealed class SimulatedProcessHost : IProcessHost
{
    private readonly IReadOnlyList<VfioDeviceNode> _devices;

    /// <summary>Wraps <paramref name="process"/>; <paramref name="devices"/> are its /dev/vfio/devices/vfioN in order.</summary>
    public SimulatedProcessHost(SimulatedProcess process, IReadOnlyList<VfioDeviceNode>? devices = null)
    {
        Process = process;
        _devices = devices ?? [];
        Name = $"simulated {process.Kernel.Profile}";
    }

    /// <summary>
    /// The root process of the QEMU guest realhost boots with VT-d on: an e1000e (00:02.0) and QEMU's edu device
    /// (00:03.0), each in its own group behind one VT-d (<see cref="IommuInstance.IntelVtd"/>, aw-bits 39) with
    /// interrupt remapping, bound to vfio-pci as /dev/vfio/devices/vfio0 and vfio1.
    /// </summary>
    public static SimulatedProcessHost VtdGuest(KernelProfile? profile = null, bool transparentHugePages = true)
    {
        var kernel = new SimulatedKernel(profile) { TransparentHugePages = transparentHugePages };
        var dmar = IommuInstance.IntelVtd("dmar0");
        var nic = VfioPciDriver.Bind(kernel.AddPciDevice(new PciAddress(0, 2, 0, 0), dmar));
        var edu = VfioPciDriver.Bind(kernel.AddPciDevice(new PciAddress(0, 3, 0, 0), dmar));
        var process = new SimulatedProcess(kernel) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        return new SimulatedProcessHost(process, [nic, edu]) { MinimumMmapAlignment = ReplaySide.MmapAlignment };
    }

    /// <summary>
    /// The kernel selftests' process: root, no RLIMIT_MEMLOCK, on a fresh machine running <paramref name="profile"/>
    /// (with or without CONFIG_TRANSPARENT_HUGEPAGE).
    /// </summary>
    public static SimulatedProcessHost Root(KernelProfile? profile = null, bool transparentHugePages = true, ulong minimumMmapAlignment = SimulatedProcess.PageSize)
        => new(new SimulatedProcess(new SimulatedKernel(profile) { TransparentHugePages = transparentHugePages })
        {
            Capabilities = Capabilities.Root,
            MemlockLimit = ulong.MaxValue,
        })
        {
            MinimumMmapAlignment = minimumMmapAlignment,
        };

    /// <summary>The process.</summary>
    public SimulatedProcess Process { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SimulatedProcess? Simulated => Process;

    /// <inheritdoc />
    public IReadOnlyCollection<string>? KernelWarnings => Process.Kernel.Log.Warnings;

    /// <summary>
    /// The least alignment of every mapping (the page size by default). The replay sets 2 MiB on both sides, so
    /// automatic IOVAs, which follow the lowest set bit of the user address, do not depend on where mmap put things.
    /// </summary>
    public ulong MinimumMmapAlignment { get; init; } = SimulatedProcess.PageSize;

    /// <inheritdoc />
    public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
        => Process.Mmap(length, protection, flags, Math.Max(alignment, MinimumMmapAlignment));

    /// <inheritdoc />
    public Errno Munmap(ulong address, ulong length) => Process.Munmap(address, length);

    /// <inheritdoc />
    public Errno Read(ulong address, Span<byte> destination) => Process.Read(address, destination);

    /// <inheritdoc />
    public Errno Write(ulong address, ReadOnlySpan<byte> source) => Process.Write(address, source);

    /// <inheritdoc />
    public int OpenIommufd() => Process.OpenIommufd();

    /// <inheritdoc />
    public int OpenVfioDevice(int index)
        => index >= 0 && index < _devices.Count ? Process.OpenVfioDevice(_devices[index]) : Errno.ENOENT.ToSyscallResult();

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
