using System.Collections.Concurrent;
using System.Diagnostics;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;
using Xunit.Abstractions;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Several threads attach, detach and replace devices (kAPI devices, a two-device group, an incompatible
/// device, selftest mock devices) and pin / unpin / replace accesses on two shared IOASes while another
/// thread maps and unmaps. Then: every area is mapped in every domain of its IOAS, refcounts match the
/// attachments, everything is destroyable, pins are balanced and the kernel printed no WARN.
/// </summary>
public class DeviceStressTests
{
    private const ulong Page = KapiHost.PageSize;
    private const int StaticAreas = 6;
    private const ulong StaticBase = 0x1000_0000;
    private const ulong DynamicBase = 0x2000_0000;
    private const ulong AreaLength = 2 * Page;
    private const ulong MsiWindow = 0x0800_0000;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(2);

    private readonly ITestOutputHelper _output;

    public DeviceStressTests(ITestOutputHelper output) => _output = output;

    private sealed class World
    {
        public World()
        {
            Host = new KapiHost();
            Ioases = [Host.AllocIoas(), Host.AllocIoas()];
            foreach (var ioas in Ioases)
            {
                for (var i = 0; i < StaticAreas; i++)
                {
                    var va = Host.Buffer(AreaLength, (byte)(i + 1));
                    var iova = StaticBase + ((ulong)i * 0x10_0000);
                    Assert.Equal(Errno.None, Host.Map(ioas, va, AreaLength, iova));
                    Mapped[(ioas, iova)] = va;
                    Buffers.Add(va);
                }
            }
        }

        public KapiHost Host { get; }

        public IoasId[] Ioases { get; }

        /// <summary>What is mapped: (IOAS, IOVA) → user VA, kept by the threads that map and unmap.</summary>
        public ConcurrentDictionary<(IoasId Ioas, ulong Iova), ulong> Mapped { get; } = new();

        public ConcurrentBag<ulong> Buffers { get; } = new();

        public ConcurrentQueue<string> Failures { get; } = new();

        public long Operations;

        public void Fail(string what) => Failures.Enqueue(what);
    }

    [Fact]
    public void Attach_detach_replace_and_access_pins_on_shared_ioases_keep_every_invariant()
    {
        var seed = Environment.TickCount;
        _output.WriteLine($"seed {seed}");
        var world = new World();
        var host = world.Host;
        var otherIommu = IommuInstance.RealLooking("dmar1");
        var group = new IommuGroup(host.Iommu);
        var msi = new ReservedRegion(MsiWindow, 0x10_0000, ReservedRegionKind.SoftwareMsi);

        var devices = new List<(PciDevice Device, IommufdDevice Idev, bool Grouped)>();
        for (var i = 0; i < 4; i++)
        {
            var device = host.AddDevice(reserved: msi);
            devices.Add((device, host.Bind(device), false));
        }

        for (var i = 0; i < 2; i++)
        {
            var device = host.AddDevice(group, reserved: new ReservedRegion(0x0C00_0000 + ((ulong)i * 0x1000), 0x1000, ReservedRegionKind.Reserved));
            devices.Add((device, host.Bind(device), true));
        }

        var foreign = host.AddDevice(iommu: otherIommu, reserved: msi);
        devices.Add((foreign, host.Bind(foreign), false));
        var manual = host.AllocHwpt(devices[0].Idev.Id, world.Ioases[0]);

        var mocks = new List<SelftestId>();
        for (var i = 0; i < 2; i++)
        {
            var payload = new IommuTestPayload();
            Assert.Equal(Errno.None, host.File.TestCmd(IommuTestOp.MockDomain, world.Ioases[i], ref payload));
            mocks.Add(payload.MockDomain.OutStdevId);
        }

        var accesses = new List<RecordingAccessOps>();
        for (var i = 0; i < 2; i++)
        {
            var ops = new RecordingAccessOps();
            Assert.Equal(Errno.None, Iommufd.AccessCreate(host.Ctx, ops, out var access, out _));
            ops.Access = access;
            Assert.Equal(Errno.None, Iommufd.AccessAttach(access!, world.Ioases[i]));
            accesses.Add(ops);
        }

        var deadline = Stopwatch.StartNew();
        var threads = new List<Thread>();
        var index = 0;
        foreach (var (device, idev, grouped) in devices)
        {
            var random = new Random(seed + index++);
            threads.Add(new Thread(() => DeviceLoop(world, device, idev, grouped, ReferenceEquals(device.Iommu, otherIommu), manual, random, deadline)));
        }

        foreach (var mock in mocks)
        {
            var random = new Random(seed + index++);
            threads.Add(new Thread(() => MockLoop(world, mock, random, deadline)));
        }

        foreach (var ops in accesses)
        {
            var random = new Random(seed + index++);
            threads.Add(new Thread(() => AccessLoop(world, ops, random, deadline)));
        }

        var mapperRandom = new Random(seed + index);
        threads.Add(new Thread(() => MapperLoop(world, mapperRandom, deadline)));

        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(60), $", seed {seed}");

        _output.WriteLine($"{world.Operations} operations in {deadline.Elapsed.TotalSeconds:F1} s");
        Assert.True(world.Failures.IsEmpty, $"seed {seed}: " + string.Join(Environment.NewLine, world.Failures.Take(20)));
        Assert.True(world.Operations > 1000, $"only {world.Operations} operations ran");

        CheckInvariants(world, mocks);

        // ---- teardown: everything must go, leaving no pin, no object and no WARN ----
        foreach (var ops in accesses)
        {
            foreach (var (iova, length) in ops.Pinned)
            {
                Assert.True(ops.Unpin(iova, length));
            }

            Iommufd.AccessDestroy(ops.Access!);
        }

        foreach (var (_, idev, _) in devices)
        {
            if (idev.IsAttached)
            {
                Iommufd.DeviceDetach(idev);
            }

            Iommufd.DeviceUnbind(idev);
        }

        foreach (var mock in mocks)
        {
            Assert.Equal(Errno.None, host.Destroy(mock));
        }

        Assert.DoesNotContain(host.Context.Objects.Snapshot().OfType<HwptPaging>(), h => h.AutoDomain);
        Assert.Equal(Errno.None, host.Destroy(manual));
        foreach (var ioas in world.Ioases)
        {
            Assert.Equal(1, host.IoasObject(ioas).Users);
            Assert.Empty(host.IoasObject(ioas).Iopt.Domains);
            Assert.Equal(Errno.None, host.Destroy(ioas));
        }

        Assert.True(host.Context.Objects.IsEmpty);
        Assert.Null(group.DmaOwner);
        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        Iommufd.CtxPut(host.Ctx);
        Assert.True(host.ContextReleased);
        foreach (var va in world.Buffers)
        {
            Assert.Equal(0, host.Process.PinCount(va));
            Assert.Equal(0, host.Process.PinCount(va + Page));
        }

        Assert.Equal(0, host.Process.User.LockedPages);
        host.AssertNoWarnings();
    }

    [Fact]
    public void Concurrent_lookups_and_long_term_references_keep_the_object_refcount_exact()
    {
        // Every ioctl on an IOAS takes and puts a short-term reference while other threads add and drop
        // long-term ones (HWPT alloc / destroy, access attach / detach). Afterwards only the table's
        // reference may remain, and DESTROY must succeed.
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var device = host.AddDevice();
        var idev = host.Bind(device);
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (var i = 0; i < Math.Max(4, Environment.ProcessorCount); i++)
        {
            threads.Add(new Thread(() =>
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
                {
                    ulong value = 0;
                    var result = host.File.Option(IommuOptionId.HugePages, IommuOptionOp.Get, ioas, ref value);
                    if (result != Errno.None)
                    {
                        failures.Enqueue($"OPTION: {result}");
                    }
                }
            }));
        }

        threads.Add(new Thread(() =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
            {
                var allocated = host.File.HwptAlloc(IommuHwptAllocFlags.None, idev.Id, ioas, IommuHwptDataType.None, 0, 0, default, out var hwpt);
                var destroyed = allocated == Errno.None ? host.File.Destroy(hwpt) : allocated;
                if (allocated != Errno.None || destroyed != Errno.None)
                {
                    failures.Enqueue($"HWPT_ALLOC {allocated} / DESTROY {destroyed}");
                }
            }
        }));

        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
        var obj = host.IoasObject(ioas);
        Assert.True(obj.Users == 1 && obj.ShortTermUsers == 1, $"IOAS users {obj.Users}, short-term users {obj.ShortTermUsers}; both must be 1 (the table's)");
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void Lookup_put_and_long_term_get_put_racing_on_one_object_keep_both_counters_exact()
    {
        // The refcount protocol itself (kernel spec §1.4): lookups take +1 users and +1 short-term under the
        // table lock, puts drop them without it, long-term holders add and drop users at any time. No
        // update may be lost.
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var obj = host.IoasObject(ioas);
        var table = host.Context.Objects;
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var threads = new List<Thread>();
        for (var i = 0; i < 2; i++)
        {
            threads.Add(new Thread(() =>
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(1))
                {
                    for (var n = 0; n < 1000; n++)
                    {
                        var found = table.Lookup(ioas, ObjectKind.Any, out var value);
                        if (found != Errno.None)
                        {
                            // A live, published IOAS must always be found.
                            failures.Enqueue($"lookup of the live IOAS: {found}");
                            continue;
                        }

                        table.Put(value!);
                    }
                }
            }));
            threads.Add(new Thread(() =>
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(1))
                {
                    for (var n = 0; n < 1000; n++)
                    {
                        obj.AddUser();
                        obj.DropUser();
                    }
                }
            }));
        }

        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(30));

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {failures.FirstOrDefault()}");
        Assert.True(obj.Users == 1 && obj.ShortTermUsers == 1, $"IOAS users {obj.Users}, short-term users {obj.ShortTermUsers}; both must be 1 (the table's)");
        Assert.Equal(Errno.None, host.Destroy(ioas));
    }

    [Fact]
    public void Dma_of_an_attached_device_while_its_group_is_replaced_between_ioases_never_faults_or_throws()
    {
        // Both IOASes map the IOVA, and the device stays attached throughout (its sibling moves the whole
        // group): every DMA must translate through one of the two domains, never through a freed one.
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var dmaDevice = host.AddDevice(group);
        var mover = host.AddDevice(group);
        var dmaIdev = host.Bind(dmaDevice);
        var moverIdev = host.Bind(mover);
        var ioases = new[] { host.AllocIoas(), host.AllocIoas() };
        foreach (var ioas in ioases)
        {
            Assert.Equal(Errno.None, host.Map(ioas, host.Buffer(AreaLength, 0x42), AreaLength, StaticBase));
        }

        host.Attach(dmaIdev, ioases[0]);
        host.Attach(moverIdev, ioases[0]);
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        long dmas = 0;
        var dma = new Thread(() =>
        {
            var buffer = new byte[64];
            try
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(1))
                {
                    Interlocked.Increment(ref dmas);
                    if (dmaDevice.DmaRead(StaticBase + 0x100, buffer) is { } fault)
                    {
                        failures.Enqueue($"fault {fault.Reason} at 0x{fault.Iova:X}");
                    }
                }
            }
            catch (Exception exception)
            {
                failures.Enqueue(exception.ToString());
            }
        });
        var replace = new Thread(() =>
        {
            var next = 1;
            while (clock.Elapsed < TimeSpan.FromSeconds(1))
            {
                var result = Iommufd.DeviceReplace(moverIdev, ioases[next], out _);
                if (result != Errno.None)
                {
                    failures.Enqueue($"replace: {result}");
                }

                next ^= 1;
            }
        });
        StressThreads.RunToCompletion([dma, replace], TimeSpan.FromSeconds(30));

        _output.WriteLine($"{dmas} DMAs, {failures.Count} failures");
        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Distinct().Take(5)));
        Iommufd.DeviceDetach(dmaIdev);
        Iommufd.DeviceDetach(moverIdev);
        Iommufd.DeviceUnbind(dmaIdev);
        Iommufd.DeviceUnbind(moverIdev);
        host.AssertNoWarnings();
    }

    private static void DeviceLoop(World world, PciDevice device, IommufdDevice idev, bool grouped, bool foreign, HwptId manual, Random random, Stopwatch clock)
    {
        var attached = false;
        var probe = new byte[16];
        try
        {
            while (clock.Elapsed < RunTime)
            {
                Interlocked.Increment(ref world.Operations);
                PageTableId pt = random.Next(5) switch
                {
                    0 => manual,
                    1 or 2 => world.Ioases[0],
                    _ => world.Ioases[1],
                };

                if (!attached)
                {
                    var result = Iommufd.DeviceAttach(idev, pt, out _);
                    if (result == Errno.None)
                    {
                        attached = true;
                    }
                    else if (result != Errno.EINVAL || !(grouped || foreign))
                    {
                        world.Fail($"{device} attach to {pt}: {result}");
                    }
                }
                else if (random.Next(3) == 0)
                {
                    Iommufd.DeviceDetach(idev);
                    attached = false;
                }
                else
                {
                    var result = Iommufd.DeviceReplace(idev, pt, out _);
                    if (result != Errno.None && (result != Errno.EINVAL || !foreign))
                    {
                        world.Fail($"{device} replace to {pt}: {result}");
                    }
                }

                if (attached != idev.IsAttached)
                {
                    world.Fail($"{device}: believed attached={attached}, kAPI says {idev.IsAttached}");
                }

                // Every static area is mapped in both IOASes: an attached device always reaches it, a
                // detached one never does (unless a group sibling keeps the group attached).
                var iova = StaticBase + ((ulong)random.Next(StaticAreas) * 0x10_0000);
                var fault = device.DmaRead(iova, probe);
                if (attached && fault is not null)
                {
                    world.Fail($"{device} attached but its DMA at 0x{iova:X} faulted: {fault.Reason}");
                }
                else if (!attached && !grouped && fault is not { Reason: IommuFaultReason.Blocked })
                {
                    world.Fail($"{device} detached but its DMA at 0x{iova:X} was {(fault is null ? "translated" : fault.Reason.ToString())}");
                }
            }
        }
        catch (Exception exception)
        {
            world.Fail($"{device}: {exception}");
        }
    }

    private static void MockLoop(World world, SelftestId mock, Random random, Stopwatch clock)
    {
        try
        {
            while (clock.Elapsed < RunTime)
            {
                Interlocked.Increment(ref world.Operations);
                var payload = new IommuTestPayload { MockDomainReplace = new TestMockDomainReplace { PtId = world.Ioases[random.Next(2)] } };
                var result = world.Host.File.TestCmd(IommuTestOp.MockDomainReplace, mock, ref payload);
                if (result != Errno.None)
                {
                    world.Fail($"mock {mock} replace: {result}");
                }
            }
        }
        catch (Exception exception)
        {
            world.Fail($"mock {mock}: {exception}");
        }
    }

    private static void AccessLoop(World world, RecordingAccessOps ops, Random random, Stopwatch clock)
    {
        try
        {
            while (clock.Elapsed < RunTime)
            {
                Interlocked.Increment(ref world.Operations);
                switch (random.Next(10))
                {
                    case 0:
                    {
                        var result = Iommufd.AccessReplace(ops.Access!, world.Ioases[random.Next(2)]);
                        if (result != Errno.None)
                        {
                            world.Fail($"access replace: {result}");
                        }

                        break;
                    }

                    case < 6:
                    {
                        // Static areas always pin; dynamic ones come and go (ENOENT) or are being unmapped (EINVAL).
                        var dynamic = random.Next(3) == 0;
                        var iova = (dynamic ? DynamicBase : StaticBase) + ((ulong)random.Next(StaticAreas) * 0x10_0000) + (random.Next(2) == 0 ? 0 : Page);
                        var result = ops.Pin(iova, Page);
                        if (result != Errno.None && !(dynamic && result is Errno.ENOENT or Errno.EINVAL))
                        {
                            world.Fail($"access pin 0x{iova:X}: {result}");
                        }

                        break;
                    }

                    default:
                    {
                        var pinned = ops.Pinned;
                        if (pinned.Count > 0)
                        {
                            var (iova, length) = pinned[random.Next(pinned.Count)];
                            ops.Unpin(iova, length);
                        }

                        break;
                    }
                }
            }
        }
        catch (Exception exception)
        {
            world.Fail($"access: {exception}");
        }
    }

    private static void MapperLoop(World world, Random random, Stopwatch clock)
    {
        var buffers = new Dictionary<(IoasId, ulong), ulong>();
        try
        {
            while (clock.Elapsed < RunTime)
            {
                Interlocked.Increment(ref world.Operations);
                var ioas = world.Ioases[random.Next(2)];
                var iova = DynamicBase + ((ulong)random.Next(StaticAreas) * 0x10_0000);
                if (world.Mapped.ContainsKey((ioas, iova)))
                {
                    var result = world.Host.Unmap(ioas, iova, AreaLength, out var unmapped);
                    if (result != Errno.None || unmapped != AreaLength)
                    {
                        world.Fail($"unmap 0x{iova:X}: {result}, {unmapped} bytes");
                        continue;
                    }

                    world.Mapped.TryRemove((ioas, iova), out _);
                }
                else
                {
                    if (!buffers.TryGetValue((ioas, iova), out var va))
                    {
                        va = world.Host.Buffer(AreaLength, 0xD0);
                        buffers[(ioas, iova)] = va;
                        world.Buffers.Add(va);
                    }

                    var result = world.Host.Map(ioas, va, AreaLength, iova);
                    if (result != Errno.None)
                    {
                        world.Fail($"map 0x{iova:X}: {result}");
                        continue;
                    }

                    world.Mapped[(ioas, iova)] = va;
                }
            }
        }
        catch (Exception exception)
        {
            world.Fail($"mapper: {exception}");
        }
    }

    private static void CheckInvariants(World world, List<SelftestId> mocks)
    {
        var host = world.Host;
        var objects = host.Context.Objects.Snapshot();
        var hwpts = objects.OfType<HwptPaging>().ToList();
        var idevs = objects.OfType<Device>().ToList();
        var accessObjects = objects.OfType<Access>().ToList();
        Assert.Equal(7 + mocks.Count, idevs.Count);

        foreach (var ioasId in world.Ioases)
        {
            var ioas = host.IoasObject(ioasId);
            Assert.Empty(ioas.Iopt.CheckInvariants());

            // The areas are exactly what the threads believe is mapped.
            var expected = world.Mapped.Where(m => m.Key.Ioas == ioasId).Select(m => m.Key.Iova).OrderBy(i => i).ToList();
            Assert.Equal(expected, ioas.Iopt.Areas().Select(a => a.Iova).ToList());

            // Each HWPT on the IOAS has its domain in the io_pagetable, and nothing else is there.
            var onIoas = hwpts.Where(h => ReferenceEquals(h.Ioas, ioas)).ToList();
            Assert.Equal(onIoas.Count, ioas.Hwpts.Count);
            Assert.Equal(onIoas.Select(h => h.Domain).ToHashSet(), ioas.Iopt.Domains.Cast<PagingDomain>().ToHashSet());

            // IOAS users: the table, every paging HWPT, every attached access.
            var attachedAccesses = accessObjects.Count(a => ReferenceEquals(a.Ioas, ioas));
            Assert.Equal(1 + onIoas.Count + attachedAccesses, ioas.Users);

            // Every area is mapped, page by page, in every domain of the IOAS, to the pinned pages.
            foreach (var area in ioas.Iopt.Areas())
            {
                var va = world.Mapped[(ioasId, area.Iova)];
                foreach (var hwpt in onIoas)
                {
                    for (ulong offset = 0; offset < area.Length; offset += Page)
                    {
                        var translated = hwpt.Domain.Translate(area.Iova + offset);
                        Assert.NotNull(translated);
                        var page = area.Pages!.PinnedPage(area.FirstPageIndex + (offset / Page));
                        Assert.Equal(page.PhysicalAddress, translated.Value.Physical);
                        Assert.True(page.PinCount >= 1);
                    }

                    if (hwpt.Domain.Iommu.Driver == IommuDriverKind.Mock)
                    {
                        var payload = new IommuTestPayload { CheckMap = new TestCheckMap { Iova = area.Iova, Length = area.Length, Uptr = va } };
                        Assert.Equal(Errno.None, host.File.TestCmd(IommuTestOp.MdCheckMap, hwpt.Id, ref payload));
                    }
                }
            }
        }

        // HWPT users: the table, plus every device attached to it (automatic ones die at zero devices).
        foreach (var hwpt in hwpts)
        {
            var attached = idevs.Count(d => ReferenceEquals(d.AttachedHwpt, hwpt));
            Assert.Equal(1 + attached, hwpt.Users);
            if (hwpt.AutoDomain && attached == 0)
            {
                // A last detach that races another device's look at the same automatic HWPT leaves it alive with no
                // device, as in the kernel (6.12 device.c / main.c): iommufd_device_auto_get_domain holds a short-term
                // reference while it tries the HWPT, iommufd_object_put_and_try_destroy gives up (-EBUSY) meanwhile,
                // and when the try fails (an incompatible device) iommufd_put_object does not destroy. It then holds
                // only the table's reference (checked above), and IOMMU_DESTROY removes it as user space would.
                Assert.Equal(Errno.None, host.Destroy(hwpt.Id));
            }
        }

        // Every group the context sees is attached to one HWPT, shared by its attached devices.
        foreach (var state in host.Context.Groups())
        {
            Assert.All(state.Attached, d => Assert.Same(state.Hwpt, d.AttachedHwpt));
            Assert.Equal(state.Attached.Count == 0, state.Hwpt is null);
        }

        host.AssertNoWarnings();
    }
}
