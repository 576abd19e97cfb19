using System.Collections.Concurrent;
using System.Diagnostics;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;
using Xunit.Abstractions;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Six threads on one iommufd context, all through the ioctl surface: maps and unmaps, copies between IOASes,
/// VFIO devices opened, bound, attached, doing DMA, detached and closed (unbind) in a loop while another
/// thread looks their IDs up (GET_HW_INFO, HWPT_ALLOC + DESTROY), mock devices and accesses created, used and
/// destroyed. Every call must answer 0 or an errno of the ABI and nothing may throw; at the end, with every fd
/// closed, no object, pin or charge may remain, every device is back with the kernel, and no WARN was logged.
/// CI runs it for a few seconds; <c>fuzz/stress SECONDS</c> runs it long (IOMMU_STRESS_SECONDS).
/// </summary>
public class ConcurrencyStressTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong BufferPages = 64;
    private const ulong IovaA = 0x4000_0000;
    private const ulong IovaB = 0x8000_0000;

    private static readonly HashSet<Errno> Allowed =
    [
        Errno.EPERM, Errno.ENOENT, Errno.EIO, Errno.EBADF, Errno.ENOMEM, Errno.EFAULT, Errno.EBUSY, Errno.EEXIST,
        Errno.ENODEV, Errno.EINVAL, Errno.ENOSPC, Errno.EOVERFLOW, Errno.EOPNOTSUPP, Errno.EADDRINUSE, Errno.EBADFD,
    ];

    private readonly ITestOutputHelper _output;

    public ConcurrencyStressTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Six_threads_on_one_context_release_everything_on_close_and_never_WARN()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("IOMMU_STRESS_SECONDS"), out var s) ? s : 3;
        var rig = new Rig();
        var deadline = Stopwatch.StartNew();
        var failures = new ConcurrentQueue<string>();
        long operations = 0;
        var succeeded = new ConcurrentDictionary<string, int>();

        Thread Worker(string name, int seed, Action<Random> step) => new(() =>
        {
            var random = new Random(seed);
            while (deadline.Elapsed.TotalSeconds < seconds && failures.IsEmpty)
            {
                try
                {
                    step(random);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{name}: {e}");
                }

                Interlocked.Increment(ref operations);
            }
        }) { Name = name };

        void Expect(string what, Errno result)
        {
            if (result == Errno.None)
            {
                succeeded.AddOrUpdate(what, 1, (_, n) => n + 1);
            }
            else if (!Allowed.Contains(result))
            {
                failures.Enqueue($"{what} returned {result}");
            }
        }

        var threads = new List<Thread>
        {
            Worker("map/unmap", 1, r => rig.MapUnmap(r, Expect)),
            Worker("copy", 2, r => rig.Copy(r, Expect)),
            Worker("vfio 0", 3, r => rig.VfioCycle(0, r, Expect)),
            Worker("vfio 1", 4, r => rig.VfioCycle(1, r, Expect)),
            Worker("lookups", 5, r => rig.Lookups(r, Expect)),
            Worker("mock+access", 6, r => rig.MockAndAccess(r, Expect)),
        };
        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(seconds + 60), $" (stress of {seconds} s)");
        var elapsed = deadline.Elapsed;

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(10)));
        var (objectsBefore, pinnedBefore) = (rig.Context.Objects.Count, rig.Process.PinnedPages);
        rig.CloseEverything();
        Assert.True(rig.Process.OpenFds.Count == 0, $"the test lost track of fds {string.Join(", ", rig.Process.OpenFds)}: they hold the context");

        _output.WriteLine($"{threads.Count} threads, {elapsed.TotalSeconds:F1} s, {operations:N0} operations ({operations / elapsed.TotalSeconds:N0}/s); " +
            $"before close: {objectsBefore} objects, {pinnedBefore} pinned pages; after close: {rig.Context.Objects.Count} objects, " +
            $"{rig.Process.PinnedPages} pinned, {rig.Process.User.LockedPages} charged, {rig.Process.Kernel.Log.Warnings.Count} WARN");
        _output.WriteLine("succeeded: " + string.Join(", ", succeeded.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:N0}")));

        // The threads must have met: every kind of call succeeded at least once.
        Assert.All(new[] { "IOAS_MAP", "IOAS_COPY", "BIND", "ATTACH", "SIM_DMA", "GET_HW_INFO", "HWPT_ALLOC", "MOCK_DOMAIN", "CREATE_ACCESS", "ACCESS_RW" },
            what => Assert.True(succeeded.ContainsKey(what), $"{what} never succeeded"));
        Assert.True(rig.Process.Kernel.Log.Warnings.Count == 0, "WARN: " + string.Join(" | ", rig.Process.Kernel.Log.Warnings.Take(5)));
        Assert.Equal(0, rig.Context.Objects.Count);
        Assert.Equal(0, rig.Process.PinnedPages);
        Assert.Equal(0, rig.Process.User.LockedPages);
        Assert.Equal(0, rig.Process.LockedPages);
        foreach (var device in rig.Devices)
        {
            Assert.Null(EngineInspection.ReleasedDeviceProblem(device));
        }
    }

    /// <summary>The machine and the per-thread steps. Each step is one short sequence of calls on shared state.</summary>
    private sealed class Rig
    {
        private readonly int _fd;
        private readonly IoasId _ioasA;
        private readonly IoasId _ioasB;
        private readonly ulong _buffer;
        private readonly VfioDeviceNode[] _nodes;
        private readonly ConcurrentDictionary<int, byte> _openFds = new();
        private readonly ConcurrentDictionary<uint, byte> _deviceIds = new();
        private readonly int?[] _leftOpen = new int?[2];

        public Rig()
        {
            // Unprivileged, so every pin is charged to the user's locked_vm and must come back.
            Process = new SimulatedProcess { MemlockLimit = 256UL << 20 };
            _fd = Process.OpenIommufd();
            Context = EngineProbe.Context(Process, _fd)!;
            Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out _ioasA));
            Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out _ioasB));
            _buffer = Process.Mmap(BufferPages * Page);
            Assert.Equal(Errno.None, Process.Write(_buffer, Enumerable.Repeat((byte)0x5A, (int)(BufferPages * Page)).ToArray()));

            var iommu = IommuInstance.RealLooking("dmar0");
            var shared = new IommuGroup(iommu);
            Devices =
            [
                Process.Kernel.AddPciDevice(new PciAddress(0, 3, 0, 0), iommu, shared),
                Process.Kernel.AddPciDevice(new PciAddress(0, 3, 0, 1), iommu, shared),
            ];
            _nodes = Devices.Select(VfioPciDriver.Bind).ToArray();
        }

        public SimulatedProcess Process { get; }

        public IommufdContext Context { get; }

        public PciDevice[] Devices { get; }

        private IIoctlFile File => Process.File(_fd);

        public void MapUnmap(Random random, Action<string, Errno> expect)
        {
            var slot = (ulong)random.Next(16);
            var iova = IovaA + (slot * 4 * Page);
            expect("IOAS_MAP", Map(_ioasA, _buffer + ((ulong)random.Next(60) * Page), 4 * Page, iova));
            if (random.Next(2) == 0)
            {
                var length = 4 * Page;
                expect("IOAS_UNMAP", File.IoasUnmap(_ioasA, iova, ref length));
            }
        }

        public void Copy(Random random, Action<string, Errno> expect)
        {
            var slot = (ulong)random.Next(16);
            var dst = IovaB + (slot * 4 * Page);
            expect("IOAS_COPY", File.IoasCopy(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, _ioasB, _ioasA, 4 * Page, IovaA + (slot * 4 * Page), ref dst));
            if (random.Next(3) == 0)
            {
                var length = ulong.MaxValue;
                expect("IOAS_UNMAP all", File.IoasUnmap(_ioasB, 0, ref length));
            }
        }

        public void VfioCycle(int index, Random random, Action<string, Errno> expect)
        {
            // Half the cycles leave the device bound and attached; the next one closes it first (that is the
            // unbind), so the run can end with attached devices holding pins for the final close to release.
            if (_leftOpen[index] is { } previous)
            {
                Forget(previous);
                expect("close", Process.Close(previous));
                _leftOpen[index] = null;
            }

            var fd = Process.OpenVfioDevice(_nodes[index]);
            _openFds[fd] = 0;
            var vfio = Process.File(fd);
            var bound = vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, _fd, 0, out var id);
            expect("BIND", bound);
            if (bound == Errno.None)
            {
                _deviceIds[id.Value] = 0;
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    var pt = random.Next(2) == 0 ? _ioasA : _ioasB;
                    expect("ATTACH", vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, pt, 0, out _));
                    var user = Process.Mmap(Page);
                    var dma = vfio.VfioDeviceSimDma(random.Next(2) == 0 ? VfioDeviceSimDmaFlags.Read : VfioDeviceSimDmaFlags.Write, (random.Next(2) == 0 ? IovaA : IovaB) + ((ulong)random.Next(64) * Page), user, Page);
                    expect("SIM_DMA", dma);
                    Process.Munmap(user, Page);
                    if (random.Next(3) == 0)
                    {
                        expect("DETACH", vfio.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
                    }
                }
            }

            // Close unbinds (and detaches) while the lookup thread may hold the device by ID.
            if (random.Next(2) == 0)
            {
                _leftOpen[index] = fd;
                return;
            }

            Forget(fd);
            expect("close", Process.Close(fd));
        }

        public void Lookups(Random random, Action<string, Errno> expect)
        {
            var ids = _deviceIds.Keys.ToArray();
            var device = new DeviceId(ids.Length > 0 && random.Next(4) != 0 ? ids[random.Next(ids.Length)] : (uint)random.Next(1, 32));
            uint length = 16;
            var type = IommuHwInfoType.Default;
            var info = Process.Mmap(Page);
            expect("GET_HW_INFO", File.GetHwInfo(IommuHwInfoFlags.None, device, info, ref length, ref type, out _, out _));
            Process.Munmap(info, Page);
            var allocated = File.HwptAlloc(IommuHwptAllocFlags.None, device, random.Next(2) == 0 ? _ioasA : _ioasB, IommuHwptDataType.None, 0, 0, default, out var hwpt);
            expect("HWPT_ALLOC", allocated);
            if (allocated == Errno.None)
            {
                expect("DESTROY hwpt", File.Destroy(hwpt));
            }
        }

        public void MockAndAccess(Random random, Action<string, Errno> expect)
        {
            var payload = new IommuTestPayload();
            var created = File.TestCmd(IommuTestOp.MockDomain, random.Next(2) == 0 ? _ioasA : _ioasB, ref payload);
            expect("MOCK_DOMAIN", created);
            var stdev = payload.MockDomain.OutStdevId;

            payload = new IommuTestPayload { CreateAccess = new TestCreateAccess { Flags = MockAccessCreateFlags.NeedsPinPages } };
            var access = File.TestCmd(IommuTestOp.CreateAccess, _ioasA, ref payload);
            expect("CREATE_ACCESS", access);
            if (access == Errno.None)
            {
                var accessFd = payload.CreateAccess.OutAccessFd;
                _openFds[accessFd] = 0;
                var iova = IovaA + ((ulong)random.Next(16) * 4 * Page);
                var user = Process.Mmap(Page);
                var rw = new IommuTestPayload { AccessRw = new TestAccessRw { Iova = iova, Length = 64, Uptr = user, Flags = random.Next(2) == 0 ? MockAccessRwFlags.Write : 0 } };
                expect("ACCESS_RW", File.TestCmd(IommuTestOp.AccessRw, new ObjectId((uint)accessFd), ref rw));
                var pages = new IommuTestPayload { AccessPages = new TestAccessPages { Iova = iova, Length = Page } };
                expect("ACCESS_PAGES", File.TestCmd(IommuTestOp.AccessPages, new ObjectId((uint)accessFd), ref pages));
                Process.Munmap(user, Page);
                Forget(accessFd);
                expect("close access", Process.Close(accessFd));
            }

            if (created == Errno.None)
            {
                expect("DESTROY stdev", File.Destroy(stdev));
            }
        }

        // Fd numbers are reused at once (lowest free first): an fd leaves the bookkeeping before it is closed, or
        // another thread may open the same number in between and lose its entry, and that fd (with the context
        // reference of its bound device) would outlive the final close.
        private void Forget(int fd) => _openFds.TryRemove(fd, out _);

        public void CloseEverything()
        {
            foreach (var fd in _openFds.Keys)
            {
                Process.Close(fd);
            }

            Assert.Equal(Errno.None, Process.Close(_fd));
        }

        private Errno Map(IoasId ioas, ulong va, ulong length, ulong iova)
            => File.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, va, length, ref iova);
    }
}
