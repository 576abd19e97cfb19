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
    private static readonly AsyncLocal<TwinLab?> s_current = new();
    private static int s_nextBus;
    private readonly List<PciDevice> _devices = new();
    private readonly Dictionary<string, VfioDeviceNode> _nodes = new(StringComparer.Ordinal);
    private ulong _canaryPage;

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

    /// <summary>The lab of the run in progress, for code that finds its host itself (the Linux backend's stand-in opens paths in it).</summary>
    public static TwinLab? Current => s_current.Value;

    /// <summary>Makes this lab <see cref="Current"/> for the calling flow (and the tasks it starts) until disposed.</summary>
    public IDisposable MakeCurrent()
    {
        var previous = s_current.Value;
        s_current.Value = this;
        return new Restore(() => s_current.Value = previous);
    }

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

    /// <summary>A PCI function like <see cref="Device"/> whose IOMMU gives it PASIDs of <paramref name="pasidWidth"/> bits.</summary>
    public PciDevice PasidDevice(int pasidWidth = 20)
    {
        var bus = (byte)(Interlocked.Increment(ref s_nextBus) & 0xFF);
        var device = Kernel.AddPciDevice(new PciAddress(3, bus, 0, 0), IommuInstance.RealLooking("dmar-pasid" + bus, pasidWidth: pasidWidth));
        if (device.BindDriver(DeviceDriverKind.DriverManagedDma) != Errno.None)
        {
            throw new InvalidOperationException("driver refused");
        }

        _devices.Add(device);
        return device;
    }

    /// <summary>
    /// A HWPT on the lab's IOAS for the bound device <paramref name="device"/>, allocated with IOMMU_HWPT_ALLOC_PASID
    /// (what user space hands a driver to attach PASIDs to).
    /// </summary>
    public HwptId PasidHwpt(DeviceId device)
    {
        if (IommufdFile.HwptAlloc(IommuHwptAllocFlags.Pasid, device, Ioas, IommuHwptDataType.None, 0, 0, default, out var hwpt) is var rc && rc != Errno.None)
        {
            throw new InvalidOperationException("no PASID-compatible HWPT: " + rc);
        }

        return hwpt;
    }

    /// <summary>A device bound to vfio-pci, as its /dev/vfio/devices node; it reserves the x86 MSI window 0xFEE00000.</summary>
    public VfioDeviceNode VfioNode()
    {
        var bus = (byte)(Interlocked.Increment(ref s_nextBus) & 0xFF);
        var device = Kernel.AddPciDevice(new PciAddress(2, bus, 0, 0), IommuInstance.RealLooking("dmar-vfio" + bus),
            reservedRegions: [new ReservedRegion(0xFEE0_0000, 0x10_0000, ReservedRegionKind.Reserved)]);
        _devices.Add(device);
        var node = VfioPciDriver.Bind(device);
        _nodes[node.Path] = node;
        return node;
    }

    /// <summary>The VFIO device node handed out at <paramref name="path"/> (/dev/vfio/devices/vfioN), if any.</summary>
    public VfioDeviceNode? NodeAt(string path) => _nodes.GetValueOrDefault(path);

    /// <summary>
    /// Plants a canary that lives exactly as long as the context: a second IOAS with a selftest mock domain
    /// attached and one page mapped, so that page stays pinned until the context is released. After
    /// <see cref="TearDown"/>, <see cref="ContextReleased"/> then says whether anything (an idev, an access, a
    /// context reference) still holds the context.
    /// </summary>
    public void WatchContextRelease()
    {
        if (IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var canary) is var rc && rc != Errno.None)
        {
            throw new InvalidOperationException("no canary IOAS: " + rc);
        }

        var payload = new IommuTestPayload();
        if (IommufdFile.TestCmd(IommuTestOp.MockDomain, canary, ref payload) is var mocked && mocked != Errno.None)
        {
            throw new InvalidOperationException("no canary domain: " + mocked);
        }

        _canaryPage = Process.Mmap(SimulatedProcess.PageSize);
        var iova = 0UL;
        if (IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, canary, _canaryPage, SimulatedProcess.PageSize, ref iova) is var mapped
            && mapped != Errno.None)
        {
            throw new InvalidOperationException("canary not mapped: " + mapped);
        }

        if (Process.PinCount(_canaryPage) == 0)
        {
            throw new InvalidOperationException("the canary page is not pinned by its domain");
        }
    }

    /// <summary>After <see cref="TearDown"/>: no page of the process stays pinned or locked, so every context was released (needs <see cref="WatchContextRelease"/>).</summary>
    public bool ContextReleased => _canaryPage != 0 && Process.PinnedPages == 0 && Process.LockedPages == 0 && Process.User.LockedPages == 0;

    /// <summary>PCI functions (other than selftest mocks) still owned by an iommufd binding.</summary>
    public int BoundDevices => Kernel.Devices.Count(d => d.IsBoundToIommufd && !d.IsSelftestMock);

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

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }
}
