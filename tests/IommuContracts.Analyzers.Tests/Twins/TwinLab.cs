using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Uapi;

namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>
/// The machine a runtime-twin snippet runs on: a kernel, a process with /dev/iommu open and an IOAS in it, a
/// driver's context reference, and helpers that hand out PCI functions and VFIO device nodes. After the run
/// it tears everything down the way a process exit would and reports what stayed behind.
/// </summary>
public sealed class TwinLab
{
    private readonly List<PciDevice> _devices = new();
    private static int s_nextBus;

    public TwinLab()
    {
        Kernel = new SimulatedKernel();
        Process = new SimulatedProcess(Kernel) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        Fd = Process.OpenIommufd();
        if (Iommufd.CtxFromFd(Process, Fd, out var ctx) != Errno.None)
        {
            throw new InvalidOperationException("no context");
        }

        Ctx = ctx!;
        if (IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var ioas) is var rc && rc != Errno.None)
        {
            throw new InvalidOperationException("no IOAS: " + rc);
        }

        Ioas = ioas;
    }

    public SimulatedKernel Kernel { get; }

    public SimulatedProcess Process { get; }

    public int Fd { get; }

    public SimulatedIoctlFile IommufdFile => Process.File(Fd);

    public IommufdCtx Ctx { get; }

    public IoasId Ioas { get; }

    /// <summary>A PCI function behind its own real-looking IOMMU, with a driver that manages DMA itself (or the one given).</summary>
    public PciDevice Device(bool msiIsolation = true, DeviceDriverKind driver = DeviceDriverKind.DriverManagedDma)
    {
        var bus = (byte)(Interlocked.Increment(ref s_nextBus) & 0xFF);
        var device = Kernel.AddPciDevice(new PciAddress(1, bus, 0, 0), IommuInstance.RealLooking("dmar" + bus, msiIsolation));
        if (device.BindDriver(driver) != Errno.None)
        {
            throw new InvalidOperationException("driver refused");
        }

        _devices.Add(device);
        return device;
    }

    /// <summary>A device bound to vfio-pci, as its /dev/vfio/devices node; it reserves the x86 MSI window 0xFEE00000.</summary>
    public VfioDeviceNode VfioNode()
    {
        var bus = (byte)(Interlocked.Increment(ref s_nextBus) & 0xFF);
        var device = Kernel.AddPciDevice(new PciAddress(2, bus, 0, 0), IommuInstance.RealLooking("dmar-vfio" + bus),
            reservedRegions: [new ReservedRegion(0xFEE0_0000, 0x10_0000, ReservedRegionKind.Reserved)]);
        _devices.Add(device);
        return VfioPciDriver.Bind(device);
    }

    /// <summary>Closes every fd and puts the driver's context reference, as a process exit does.</summary>
    public void TearDown()
    {
        foreach (var fd in Process.OpenFds)
        {
            _ = Process.Close(fd);
        }

        Iommufd.CtxPut(Ctx);
    }

    /// <summary>Devices still owned by an iommufd binding after <see cref="TearDown"/>: bindings nobody released.</summary>
    public int LeakedBindings => _devices.Count(d => d.IsBoundToIommufd);
}
