using System.Buffers.Binary;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// A machine for kAPI-level tests: one kernel, one root process with /dev/iommu open, a driver's context
/// reference taken with <see cref="Iommufd.CtxFromFd"/>, and real-looking IOMMUs to plug PCI functions
/// behind. Helpers read state the way user space does (IOVA_RANGES, DESTROY) and, where the uAPI cannot
/// see, through the engine's internal objects.
/// </summary>
internal sealed class KapiHost
{
    public const ulong PageSize = SimulatedProcess.PageSize;

    private static int s_nextBus;

    public KapiHost(bool msiIsolation = true, Engine.Profiles.KernelProfile? profile = null)
    {
        Kernel = new SimulatedKernel(profile);
        Process = new SimulatedProcess(Kernel) { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        Fd = Process.OpenIommufd();
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(Process, Fd, out var ctx));
        Ctx = ctx!;
        Iommu = IommuInstance.RealLooking("dmar0", msiIsolation);
    }

    public SimulatedKernel Kernel { get; }

    public SimulatedProcess Process { get; }

    /// <summary>The /dev/iommu fd of <see cref="Process"/>.</summary>
    public int Fd { get; }

    public IIoctlFile File => Process.File(Fd);

    /// <summary>The driver's context reference (put it with <see cref="Iommufd.CtxPut"/> to let the context go).</summary>
    public IommufdCtx Ctx { get; }

    /// <summary>The default IOMMU devices are plugged behind.</summary>
    public IommuInstance Iommu { get; }

    internal IommufdContext Context => Ctx.Context;

    /// <summary>A PCI function behind <paramref name="iommu"/> (default <see cref="Iommu"/>), with a driver that manages DMA itself.</summary>
    public PciDevice AddDevice(IommuGroup? group = null, IommuInstance? iommu = null, params ReservedRegion[] reserved)
    {
        var device = AddBareDevice(group, iommu, reserved);
        device.BindDriver(DeviceDriverKind.DriverManagedDma);
        return device;
    }

    /// <summary>A PCI function with no driver bound.</summary>
    public PciDevice AddBareDevice(IommuGroup? group = null, IommuInstance? iommu = null, params ReservedRegion[] reserved)
    {
        iommu ??= group?.Iommu ?? Iommu;
        var bus = (byte)(Interlocked.Increment(ref s_nextBus) & 0xFF);
        return Kernel.AddPciDevice(new PciAddress(0, bus, 0, 0), iommu, group, reserved);
    }

    public IommufdDevice Bind(PciDevice device)
    {
        Assert.Equal(Errno.None, Iommufd.DeviceBind(Ctx, device, out var idev, out var id));
        Assert.True(id.IsValid);
        return idev!;
    }

    /// <summary>Attaches and returns the HWPT ID the kAPI reported.</summary>
    public HwptId Attach(IommufdDevice idev, PageTableId pt)
    {
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, pt, out var hwpt));
        return hwpt;
    }

    public IoasId AllocIoas()
    {
        Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        return ioas;
    }

    /// <summary>A fresh page-aligned buffer of the process, filled with <paramref name="fill"/>.</summary>
    public ulong Buffer(ulong length, byte fill = 0)
    {
        var va = Process.Mmap(length);
        var bytes = new byte[length];
        Array.Fill(bytes, fill);
        Assert.Equal(Errno.None, Process.Write(va, bytes));
        return va;
    }

    public Errno Map(IoasId ioas, ulong va, ulong length, ulong iova, bool readable = true, bool writeable = true)
    {
        var flags = IommuIoasMapFlags.FixedIova;
        if (readable)
        {
            flags |= IommuIoasMapFlags.Readable;
        }

        if (writeable)
        {
            flags |= IommuIoasMapFlags.Writeable;
        }

        return File.IoasMap(flags, ioas, va, length, ref iova);
    }

    public Errno Unmap(IoasId ioas, ulong iova, ulong length, out ulong unmapped)
    {
        unmapped = length;
        return File.IoasUnmap(ioas, iova, ref unmapped);
    }

    public Errno Destroy(ObjectId id) => File.Destroy(id);

    /// <summary>IOMMU_HWPT_ALLOC of a paging HWPT on <paramref name="ioas"/> for <paramref name="device"/> (a manual HWPT).</summary>
    public HwptId AllocHwpt(DeviceId device, IoasId ioas, IommuHwptAllocFlags flags = IommuHwptAllocFlags.None)
    {
        Assert.Equal(Errno.None, File.HwptAlloc(flags, device, ioas, IommuHwptDataType.None, 0, 0, default, out var hwpt));
        Assert.True(hwpt.IsValid);
        return hwpt;
    }

    public Errno AddReserved(IoasId ioas, ulong start, ulong length)
    {
        var payload = new IommuTestPayload { AddReserved = new TestAddReserved { Start = start, Length = length } };
        return File.TestCmd(IommuTestOp.AddReserved, ioas, ref payload);
    }

    /// <summary>IOMMU_IOAS_ALLOW_IOVAS with the given inclusive ranges.</summary>
    public Errno AllowIovas(IoasId ioas, params (ulong Start, ulong Last)[] ranges)
    {
        var va = Process.Mmap(Math.Max(PageSize, (ulong)ranges.Length * 16));
        var bytes = new byte[ranges.Length * 16];
        for (var i = 0; i < ranges.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16), ranges[i].Start);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((i * 16) + 8), ranges[i].Last);
        }

        Assert.Equal(Errno.None, Process.Write(va, bytes));
        return File.IoasAllowIovas(ioas, (uint)ranges.Length, va);
    }

    /// <summary>IOMMU_IOAS_IOVA_RANGES: the usable IOVA as user space sees it.</summary>
    public List<(ulong Start, ulong Last)> IovaRanges(IoasId ioas)
    {
        uint count = 0;
        var probe = File.IoasIovaRanges(ioas, 0, ref count, out _);
        Assert.True(probe is Errno.None or Errno.EMSGSIZE, $"IOVA_RANGES probe returned {probe}");
        var va = Process.Mmap(Math.Max(PageSize, count * 16UL));
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, va, ref count, out _));
        var bytes = new byte[count * 16];
        Assert.Equal(Errno.None, Process.Read(va, bytes));
        var ranges = new List<(ulong, ulong)>();
        for (var i = 0; i < count; i++)
        {
            ranges.Add((BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 16)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((i * 16) + 8))));
        }

        return ranges;
    }

    /// <summary>True when no byte of [start, last] is usable IOVA (it is inside a reserved range).</summary>
    public bool IsReserved(IoasId ioas, ulong start, ulong last)
        => !IovaRanges(ioas).Any(r => r.Start <= last && start <= r.Last);

    /// <summary>The engine's object behind <paramref name="id"/> (published objects only), or null.</summary>
    internal IommufdObject? Object(ObjectId id) => Context.Objects.Snapshot().FirstOrDefault(o => o.RawId == id.Value);

    internal Ioas IoasObject(IoasId id) => Assert.IsType<Ioas>(Object(id));

    internal HwptPaging HwptObject(HwptId id) => Assert.IsType<HwptPaging>(Object(id));

    /// <summary>Reserved IOVA ranges of the IOAS owned by <paramref name="device"/>.</summary>
    internal int ReservedBy(IoasId ioas, PciDevice device) => IoasObject(ioas).Iopt.ReservedCount(device);

    /// <summary>Whether the context file behind <see cref="Fd"/> has been released (its last reference went).</summary>
    internal bool ContextReleased => Context.File.IsReleased;

    public byte[] ReadMemory(ulong va, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(Errno.None, Process.Read(va, bytes));
        return bytes;
    }

    /// <summary>No WARN splat was printed.</summary>
    public void AssertNoWarnings() => Assert.True(Kernel.Log.Warnings.Count == 0, "kernel WARN: " + string.Join(" | ", Kernel.Log.Warnings));
}
