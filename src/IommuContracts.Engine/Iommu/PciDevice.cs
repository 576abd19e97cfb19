using System.Collections.Concurrent;
using IommuContracts.Contracts;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Iommu;

/// <summary>
/// A simulated PCI function behind an IOMMU. Its DMA is translated through whatever domain its group is
/// attached to and lands in pinned process memory, or records an <see cref="IommuFault"/> and changes
/// nothing: a device reaches exactly what its domain maps, with the mapped permissions.
/// </summary>
[Typestate("Unowned", "Owned")]
public sealed class PciDevice
{
    private readonly ConcurrentQueue<IommuFault> _faults = new();
    private readonly ConcurrentQueue<IommuPageResponse> _pageResponses = new();
    private readonly List<IommuPageRequest> _partialRequests = new();
    private int _interrupts;

    internal PciDevice(SimulatedKernel kernel, PciAddress address, IommuGroup group, IReadOnlyList<ReservedRegion> reservedRegions, bool isSelftestMock, ulong mockFlags)
    {
        Kernel = kernel;
        Address = address;
        Group = group;
        ReservedRegions = reservedRegions;
        IsSelftestMock = isSelftestMock;
        MockFlags = mockFlags;
        MockState = isSelftestMock ? new Drivers.MockDeviceState() : null;
    }

    /// <summary>The machine the device is plugged into.</summary>
    public SimulatedKernel Kernel { get; }

    /// <summary>The device's PCI address.</summary>
    public PciAddress Address { get; }

    /// <summary>The IOMMU group the device belongs to; the group shares one domain and one DMA owner.</summary>
    public IommuGroup Group { get; }

    /// <summary>The IOMMU that translates the device's DMA.</summary>
    public IommuInstance Iommu => Group.Iommu;

    /// <summary>The IOVA ranges the device cannot use for DMA; attaching it removes them from the IOAS's usable ranges.</summary>
    public IReadOnlyList<ReservedRegion> ReservedRegions { get; }

    /// <summary>Created by IOMMU_TEST_CMD MOCK_DOMAIN: skips the MSI check and holds no context reference.</summary>
    public bool IsSelftestMock { get; }

    /// <summary>MOCK_FLAGS_DEVICE_* of a mock device.</summary>
    public ulong MockFlags { get; }

    /// <summary>The mock device's own state (caches, vIOMMU binding); null for every other device.</summary>
    internal Drivers.MockDeviceState? MockState { get; }

    /// <summary>The driver bound to the device.</summary>
    public DeviceDriverKind Driver { get; private set; }

    /// <summary>True while an iommufd binding owns this device's DMA (set by bind, cleared by unbind).</summary>
    public bool IsBoundToIommufd { get; internal set; }

    /// <summary>The DMA faults the IOMMU recorded for this device, oldest first.</summary>
    public IReadOnlyCollection<IommuFault> Faults => _faults;

    /// <summary>The answers the device received to its page requests, in order (what the IOMMU driver's page_response sent).</summary>
    public IReadOnlyCollection<IommuPageResponse> PageResponses => _pageResponses;

    /// <summary>iopf_param->partial: page requests of groups whose last page has not arrived; guarded by itself.</summary>
    internal List<IommuPageRequest> PartialRequests => _partialRequests;

    /// <summary>ops->page_response: the device learns how its page request group was answered.</summary>
    internal void ReceivePageResponse(IommuPageResponse response) => _pageResponses.Enqueue(response);

    /// <summary>MSIs the device raised by writing the doorbell mapped in its software MSI window.</summary>
    public int Interrupts => Volatile.Read(ref _interrupts);

    /// <summary>
    /// Binds a driver (the VFIO-style drivers of this engine declare driver-managed DMA). EBUSY for a DMA-API
    /// driver on a device whose group a user (an iommufd context) owns: its DMA would go through the user's
    /// domain (iommu_device_use_default_domain).
    /// </summary>
    [MustCheck]
    public Errno BindDriver(DeviceDriverKind driver)
    {
        lock (Group.Lock)
        {
            if (IsBoundToIommufd)
            {
                throw new ContractViolationException(RuleIds.UseAfterUnbind, $"{Address}: cannot change the driver while bound to iommufd; unbind first");
            }

            if (driver == DeviceDriverKind.DmaApi && Group.DmaOwner is not null)
            {
                return Errno.EBUSY;
            }

            Driver = driver;
            return Errno.None;
        }
    }

    // A driver-managed-DMA driver (vfio-pci, the selftest mock) may always bind: it never uses the default domain.
    internal void BindDriverManagedDma()
    {
        var bound = BindDriver(DeviceDriverKind.DriverManagedDma);
        System.Diagnostics.Debug.Assert(bound == Errno.None, "a driver-managed-DMA bind is never refused");
    }

    /// <summary>The device reads <paramref name="destination"/>.Length bytes at <paramref name="iova"/>; null on success, else the fault.</summary>
    [RequiresState("Owned", Rule = RuleIds.DeviceTouchedBeforeBind)]
    public IommuFault? DmaRead(ulong iova, Span<byte> destination) => Dma(iova, destination.Length, write: false, destination, default);

    /// <summary>The device writes <paramref name="source"/> at <paramref name="iova"/>; null on success, else the fault (and no byte changed).</summary>
    [RequiresState("Owned", Rule = RuleIds.DeviceTouchedBeforeBind)]
    public IommuFault? DmaWrite(ulong iova, ReadOnlySpan<byte> source) => Dma(iova, source.Length, write: true, default, source);

    // The group lock is held for the whole transfer, so a sibling's replace cannot free the domain mid-DMA.
    private IommuFault? Dma(ulong iova, int length, bool write, Span<byte> destination, ReadOnlySpan<byte> source)
    {
        lock (Group.Lock)
        {
            if (Driver == DeviceDriverKind.DriverManagedDma && !IsBoundToIommufd)
            {
                throw new ContractViolationException(
                    RuleIds.DeviceTouchedBeforeBind,
                    $"{Address}: DMA started before iommufd bind succeeded; bind the device (and attach it) before programming DMA");
            }

            return Transfer(Group.Domain, iova, length, write, destination, source);
        }
    }

    private IommuFault? Transfer(GroupDomain domain, ulong iova, int length, bool write, Span<byte> destination, ReadOnlySpan<byte> source)
    {
        if (domain.Paging is not { } paging)
        {
            return Record(iova, write, ReferenceEquals(domain, GroupDomain.Blocked) ? IommuFaultReason.Blocked : IommuFaultReason.DmaApiDomain);
        }

        if (write && paging.MsiWindow is { } window && iova >= window && iova < window + SimulatedProcess.PageSize)
        {
            Interlocked.Increment(ref _interrupts);
            return null;
        }

        // One transaction from the first translation to the last byte: an unmap of what it translated waits for it.
        paging.BeginDma();
        try
        {
            return TranslateAndMove(paging, iova, length, write, destination, source);
        }
        finally
        {
            paging.EndDma();
        }
    }

    private IommuFault? TranslateAndMove(PagingDomain paging, ulong iova, int length, bool write, Span<byte> destination, ReadOnlySpan<byte> source)
    {
        // Translate every byte first, so a fault part way changes nothing.
        var chunks = new List<(UserPage Page, int Offset, int Count)>();
        var done = 0;
        while (done < length)
        {
            var current = iova + (ulong)done;
            var translation = paging.Translate(current);
            if (translation is not { } mapped)
            {
                return Record(current, write, IommuFaultReason.NotMapped);
            }

            if ((write && !mapped.Write) || (!write && !mapped.Read))
            {
                return Record(current, write, IommuFaultReason.PermissionDenied);
            }

            if (done == 0)
            {
                Kernel.Interleavings.Reach(InterleavingPoint.DmaTranslated);
            }

            var page = Kernel.PhysicalMemory.PinnedPageAt(mapped.Physical);
            if (page is null)
            {
                Kernel.Log.Warn($"{Address}: IOMMU maps 0x{current:X} to unpinned memory 0x{mapped.Physical:X}");
                return Record(current, write, IommuFaultReason.NotMapped);
            }

            var offset = (int)(mapped.Physical % SimulatedProcess.PageSize);
            var count = Math.Min(SimulatedProcess.PageSize - offset, length - done);
            var entryLeft = (int)Math.Min((ulong)count, mapped.EntrySize - (current % mapped.EntrySize));
            chunks.Add((page, offset, entryLeft));
            done += entryLeft;
        }

        Kernel.PhysicalMemory.Touch(chunks.Count);
        done = 0;
        foreach (var (page, offset, count) in chunks)
        {
            if (write)
            {
                page.Write(offset, source.Slice(done, count));
                if (paging.DirtyTracking)
                {
                    paging.MarkDirty(iova + (ulong)done);
                }
            }
            else
            {
                page.Read(offset, destination.Slice(done, count));
            }

            done += count;
        }

        return null;
    }

    private IommuFault Record(ulong iova, bool write, IommuFaultReason reason)
    {
        var fault = new IommuFault(Address, iova, write, reason);
        _faults.Enqueue(fault);
        return fault;
    }

    /// <summary>The device for logs, <c>pci dddd:bb:dd.f</c>.</summary>
    /// <returns>The device's name.</returns>
    public override string ToString() => $"pci {Address}";
}
