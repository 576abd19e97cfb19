using IommuContracts.Engine.Core;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Uapi;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// The machine every engine benchmark runs on: one simulated kernel, a root VMM process (CAP_IPC_LOCK, so pins
/// are not charged against RLIMIT_MEMLOCK) with /dev/iommu open, and helpers that go through the same typed
/// ioctl stubs a VMM uses. Setup helpers throw on any errno; the measured paths call the stubs directly.
/// </summary>
/// <remarks>
/// The host owns its fd wrappers but never closes them: each benchmark setup builds a new simulated machine and
/// drops the old one whole (kernel, process, fds), which closing fd by fd would only slow down.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("IDisposableAnalyzers.Correctness", "IDISP006:Implement IDisposable",
    Justification = "The fds belong to a simulated process that is discarded with the host; see remarks.")]
internal sealed class EngineHost
{
    public const ulong PageSize = SimulatedProcess.PageSize;
    public const ulong HugePageSize = 2UL << 20;
    public const ulong OneGiB = 1UL << 30;

    public const IommuIoasMapFlags ReadWrite = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;
    public const IommuIoasMapFlags FixedReadWrite = ReadWrite | IommuIoasMapFlags.FixedIova;

    private int _nextBus;

    public EngineHost()
    {
        Kernel = new SimulatedKernel();
        Process = new SimulatedProcess(Kernel) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        IommufdFd = Process.OpenIommufd();
        DevIommu = Process.File(IommufdFd);
    }

    public SimulatedKernel Kernel { get; }

    public SimulatedProcess Process { get; }

    public int IommufdFd { get; }

    /// <summary>The /dev/iommu fd as the generated stubs see it.</summary>
    public IIoctlFile DevIommu { get; }

    public IoasId AllocIoas()
    {
        SetupCheck.Ok(DevIommu.IoasAlloc(IommuIoasAllocFlags.None, out var ioas), "IOMMU_IOAS_ALLOC");
        return ioas;
    }

    /// <summary>IOMMU_OPTION HUGE_PAGES = 0: every IO page is PAGE_SIZE (the header calls this useful for benchmarking).</summary>
    public void DisableHugePages(IoasId ioas)
    {
        ulong value = 0;
        SetupCheck.Ok(DevIommu.Option(IommuOptionId.HugePages, IommuOptionOp.Set, ioas, ref value), "IOMMU_OPTION HUGE_PAGES=0");
    }

    /// <summary>An anonymous mapping of the VMM, 2 MiB aligned; with <paramref name="hugeTlb"/> it is backed by 2 MiB compound pages.</summary>
    public ulong Mmap(ulong length, bool hugeTlb = false)
        => Process.Mmap(length, MemoryProtection.ReadWrite, hugeTlb ? MmapFlags.HugeTlb : MmapFlags.None, HugePageSize);

    public void MapFixed(IoasId ioas, ulong userVa, ulong length, ulong iova)
        => SetupCheck.Ok(DevIommu.IoasMap(FixedReadWrite, ioas, userVa, length, ref iova), $"IOMMU_IOAS_MAP at 0x{iova:X}");

    public void Unmap(IoasId ioas, ulong iova, ulong length)
    {
        var unmapped = length;
        SetupCheck.Ok(DevIommu.IoasUnmap(ioas, iova, ref unmapped), $"IOMMU_IOAS_UNMAP at 0x{iova:X}");
        SetupCheck.Require(unmapped == length, $"IOMMU_IOAS_UNMAP at 0x{iova:X} unmapped 0x{unmapped:X} of 0x{length:X} bytes");
    }

    /// <summary>
    /// A PCI function behind its own real-looking IOMMU (4K/2M/1G pages, 48-bit aperture), bound to vfio-pci,
    /// its cdev opened and bound to this process's iommufd (VFIO_DEVICE_BIND_IOMMUFD). Devices behind different
    /// IOMMUs cannot share a domain, so each one attached to an IOAS adds a domain to it.
    /// </summary>
    public VfioDevice AddVfioDevice()
    {
        var bus = (byte)++_nextBus;
        var iommu = IommuInstance.RealLooking($"dmar{bus}");
        var node = VfioPciDriver.Bind(Kernel.AddPciDevice(new PciAddress(0, bus, 0, 0), iommu));
#pragma warning disable IDISP001 // Dispose created: the device fd lives as long as the simulated machine (see remarks).
        var file = Process.File(Process.OpenVfioDevice(node));
#pragma warning restore IDISP001
        SetupCheck.Ok(file.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, IommufdFd, 0, out var id), "VFIO_DEVICE_BIND_IOMMUFD");
        SetupCheck.Require(id.IsValid, "VFIO_DEVICE_BIND_IOMMUFD returned no device ID");
        return new VfioDevice(file);
    }

    // ---- inspection: what the setup built, read from engine internals (never used on a measured path) ----

    /// <summary>The engine's IOAS object behind <paramref name="ioas"/>.</summary>
    public Ioas IoasObject(IoasId ioas)
    {
        SetupCheck.Ok(Iommufd.CtxFromFd(Process, IommufdFd, out var ctx), "iommufd_ctx_from_fd");
        try
        {
            return ctx!.Context.Objects.Snapshot().OfType<Ioas>().Single(o => o.RawId == ioas.Value);
        }
        finally
        {
            Iommufd.CtxPut(ctx!);
        }
    }

    /// <summary>The paging domains attached to <paramref name="ioas"/>.</summary>
    public IReadOnlyList<PagingDomain> Domains(IoasId ioas) => IoasObject(ioas).Iopt.Domains.Cast<PagingDomain>().ToList();

    public int AreaCount(IoasId ioas) => IoasObject(ioas).Iopt.AreaCount;

    /// <summary>Throws if the simulated kernel printed a WARN (a benchmark of a misbehaving engine measures nothing useful).</summary>
    public void RequireNoWarnings()
        => SetupCheck.Require(Kernel.Log.Warnings.Count == 0, "kernel WARN: " + string.Join(" | ", Kernel.Log.Warnings.Take(3)));
}
