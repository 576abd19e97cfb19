using System.Collections.Concurrent;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Profiles;

namespace IommuContracts.Engine.Host;

/// <summary>
/// The machine under the simulated processes: physical memory, the kernel log, fault injection, users and
/// host-wide settings. Several processes may share one kernel (and one user's locked_vm).
/// </summary>
public sealed class SimulatedKernel
{
    private readonly ConcurrentDictionary<int, UserAccount> _users = new();
    private readonly List<PciDevice> _devices = new();
    private int _mockDevices;

    /// <summary>A machine running the kernel <paramref name="profile"/> stands for (<see cref="KernelProfile.Newest"/> by default).</summary>
    public SimulatedKernel(KernelProfile? profile = null) => Profile = profile ?? KernelProfile.Newest;

    /// <summary>Which kernel release this machine answers as: its command table, selftest ops, flags and errno.</summary>
    public KernelProfile Profile { get; }

    /// <summary>
    /// CONFIG_TRANSPARENT_HUGEPAGE (on by default, as on typical hosts): iommufd caps an automatic IOVA's alignment
    /// at the huge page size (2 MiB) when it is configured, at the page size when it is not.
    /// </summary>
    public bool TransparentHugePages { get; init; } = true;

    /// <summary>What this kernel has printed.</summary>
    public KernelLog Log { get; } = new();

    /// <summary>The fail-nth fault injector of this kernel.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Test-only hooks that hold a thread at a point inside the engine (see <see cref="Faults.Interleavings"/>).</summary>
    internal Interleavings Interleavings { get; } = new();

    internal PhysicalMemory PhysicalMemory { get; } = new();

    /// <summary>
    /// The machine's memory in bytes (default 4 GiB). Touching (faulting in) a page past it fails with ENOMEM, so a
    /// pin of a huge untouched mapping by a process without RLIMIT_MEMLOCK stops where the memory ends.
    /// </summary>
    public ulong MemoryBytes
    {
        get => (ulong)PhysicalMemory.TotalPages * SimulatedProcess.PageSize;
        set => PhysicalMemory.TotalPages = (long)(value / SimulatedProcess.PageSize);
    }

    /// <summary>Pages copied, pinned, unpinned, moved by DMA or mapped through an IOMMU since boot (see <see cref="PhysicalMemory.PagesTouched"/>).</summary>
    internal long PagesTouched => PhysicalMemory.PagesTouched;

    /// <summary>
    /// The allow_unsafe_interrupts module parameter: bind devices whose platform cannot isolate MSIs (a
    /// security downgrade, logged as a warning each time it is used). Off by default.
    /// </summary>
    [IommuContracts.Contracts.SecurityDowngrade]
    public bool AllowUnsafeInterrupts { get; set; }

    /// <summary>The account of a user, created on first use; processes with the same uid share its locked_vm.</summary>
    /// <param name="uid">The user ID.</param>
    /// <returns>The one account for <paramref name="uid"/>.</returns>
    public UserAccount User(int uid) => _users.GetOrAdd(uid, id => new UserAccount(id));

    /// <summary>A snapshot of the PCI devices present on this machine, in the order they were added.</summary>
    public IReadOnlyList<PciDevice> Devices
    {
        get
        {
            lock (_devices)
            {
                return _devices.ToArray();
            }
        }
    }

    /// <summary>Plugs in a PCI function behind <paramref name="iommu"/>, in its own group unless one is given.</summary>
    public PciDevice AddPciDevice(PciAddress address, IommuInstance iommu, IommuGroup? group = null, IEnumerable<ReservedRegion>? reservedRegions = null)
    {
        group ??= new IommuGroup(iommu);
        if (!ReferenceEquals(group.Iommu, iommu))
        {
            throw new ArgumentException("the group belongs to another IOMMU", nameof(group));
        }

        var device = new PciDevice(this, address, group, (reservedRegions ?? []).Concat(iommu.DeviceReservedRegions).ToArray(), isSelftestMock: false, mockFlags: 0);
        group.Add(device);
        lock (_devices)
        {
            _devices.Add(device);
        }

        return device;
    }

    /// <summary>mock_dev_create: a selftest device behind its own mock IOMMU, in its own group.</summary>
    internal PciDevice CreateMockDevice(ulong flags, bool dirtyTracking, bool hugeIova, bool pasid)
    {
        var number = Interlocked.Increment(ref _mockDevices);
        var group = new IommuGroup(IommuInstance.Mock(dirtyTracking, hugeIova, pasid));
        var device = new PciDevice(this, new PciAddress(0xFFFF, (byte)(number >> 5), (byte)(number & 31), 0), group, [], isSelftestMock: true, mockFlags: flags);
        group.Add(device);
        device.BindDriverManagedDma();
        return device;
    }
}
