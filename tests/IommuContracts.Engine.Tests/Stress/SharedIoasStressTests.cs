using System.Collections.Concurrent;
using System.Diagnostics;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Engine.Tests.Properties;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Several threads hammer the IOASes of one fd for a fixed time. Two persistent IOASes are shared, but each
/// thread owns a fixed-IOVA window in them and remembers the areas it created (automatic IOVAs come from a
/// common allowed range), so every outcome a thread sees on them is predictable whatever the interleaving:
/// fixed maps, window unmaps (including the non-atomic ENOENT case, via <see cref="IoasReferenceModel"/>),
/// exact unmaps of its automatic areas, copies, IOVA_RANGES. A third, ephemeral IOAS is a free-for-all of
/// alloc / destroy / map / unmap-all / copy / reserve / allow with only the errno set checked. Afterwards the
/// union of the threads' areas must be exactly the engine's, invariants and reference counts must hold,
/// every IOAS must be destroyable, and closing must leave no object, pin or WARN.
/// </summary>
public class SharedIoasStressTests
{
    private const int Threads = 4;
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong AutoStart = 1UL << 32;
    private const ulong AutoLast = AutoStart + (1UL << 36) - 1;
    private const ulong WindowSize = 1UL << 28;
    private const ulong SourceBase = 0x7F00_0000_0000;
    private const IommuIoasMapFlags ReadWrite = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(2.5);

    private static readonly HashSet<Errno> EphemeralErrnos = new()
    {
        Errno.None, Errno.ENOENT, Errno.EBUSY, Errno.EEXIST, Errno.EINVAL, Errno.ENOSPC, Errno.EOVERFLOW,
        Errno.EADDRINUSE, Errno.EMSGSIZE, Errno.EPERM,
    };

    [Fact]
    public void Concurrent_map_unmap_copy_destroy_keep_every_invariant()
    {
        var process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        var fd = process.OpenIommufd();
        var file = process.File(fd);
        var context = EngineProbe.Context(process, fd)!;
        var shared = new IoasId[2];
        for (var i = 0; i < shared.Length; i++)
        {
            Assert.Equal(Errno.None, file.IoasAlloc(IommuIoasAllocFlags.None, out shared[i]));
            Assert.Equal(Errno.None, AllowAutoRange(process, file, shared[i]));
        }

        var run = new StressRun(process, fd, shared);
        var workers = Enumerable.Range(0, Threads).Select(t => new Worker(run, t)).ToArray();
        var threads = workers.Select(w => new Thread(w.Run) { Name = $"stress-{w.Index}" }).ToArray();
        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(30));

        Assert.True(run.Failures.IsEmpty, string.Join("\n", run.Failures.Take(5)));
        Assert.True(workers.Sum(w => w.Operations) > 1000, $"only {workers.Sum(w => w.Operations)} operations ran");

        // Quiescent: no reserved IDs, only the table's references, io_pagetable invariants, no WARN.
        Assert.Empty(EngineProbe.QuiescentProblems(context));
        Assert.Empty(process.Kernel.Log.Warnings);

        // The shared IOASes hold exactly the areas the threads believe they own.
        for (var i = 0; i < shared.Length; i++)
        {
            var expected = workers.SelectMany(w => w.Models[i].Areas)
                .OrderBy(a => a.Iova)
                .Select(a => (a.Iova, a.Last, a.UserVa, IommuProt.Cache | (a.Readable ? IommuProt.Read : 0) | (a.Writable ? IommuProt.Write : 0), a.PagesWritable))
                .ToList();
            var actual = EngineProbe.FindIoas(context, shared[i].Value)!.Iopt.Areas().Select(EngineProbe.Describe).ToList();
            Assert.Equal(expected, actual);

            var total = expected.Aggregate(0UL, (sum, a) => sum + (a.Last - a.Iova + 1));
            var length = ulong.MaxValue;
            Assert.Equal(Errno.None, file.IoasUnmap(shared[i], 0, ref length));
            Assert.Equal(total, length);
        }

        // Every IOAS left (shared, ephemeral, orphans of lost races) is destroyable now that nobody uses it.
        foreach (var ioas in EngineProbe.IoasObjects(context))
        {
            Assert.Equal(Errno.None, file.Destroy(ioas.Id));
        }

        Assert.Equal(0, context.Objects.Count);
        Assert.Equal(Errno.None, process.Close(fd));
        Assert.Empty(process.Kernel.Log.Warnings);
        Assert.Equal(0, process.PinCount(SourceBase));
    }

    private static Errno AllowAutoRange(SimulatedProcess process, IIoctlFile file, IoasId ioas)
    {
        var buffer = process.Mmap(Page);
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), AutoStart);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), AutoLast);
        Assert.Equal(Errno.None, process.Write(buffer, bytes));
        return file.IoasAllowIovas(ioas, 1, buffer);
    }

    private sealed class StressRun
    {
        private uint _ephemeral;

        public StressRun(SimulatedProcess process, int fd, IoasId[] shared)
        {
            Process = process;
            Fd = fd;
            Shared = shared;
            Deadline = Stopwatch.StartNew();
        }

        public SimulatedProcess Process { get; }

        public int Fd { get; }

        public IoasId[] Shared { get; }

        public Stopwatch Deadline { get; }

        public ConcurrentQueue<string> Failures { get; } = new();

        public bool Stop => !Failures.IsEmpty || Deadline.Elapsed > Duration;

        public ref uint Ephemeral => ref _ephemeral;
    }

    private sealed class Worker
    {
        private readonly StressRun _run;
        private readonly Random _random;
        private readonly IIoctlFile _file;
        private readonly ulong _windowStart;
        private readonly ulong _windowLast;
        private readonly ulong _rangeBuffer;

        public Worker(StressRun run, int index)
        {
            _run = run;
            Index = index;
            _random = new Random(1000 + index);
            _file = run.Process.File(run.Fd);
            _windowStart = (ulong)(index + 1) * WindowSize;
            _windowLast = _windowStart + WindowSize - 1;
            Models = run.Shared.Select(_ => new IoasReferenceModel()).ToArray();
            _rangeBuffer = run.Process.Mmap(Page);
        }

        public int Index { get; }

        public int Operations { get; private set; }

        /// <summary>The areas this thread created in each shared IOAS (and has not unmapped).</summary>
        public IoasReferenceModel[] Models { get; }

        public void Run()
        {
            try
            {
                while (!_run.Stop)
                {
                    Step();
                    Operations++;
                }
            }
            catch (Exception e)
            {
                _run.Failures.Enqueue($"thread {Index}: {e}");
            }
        }

        private void Fail(string message) => _run.Failures.Enqueue($"thread {Index}, op {Operations}: {message}");

        private void Step()
        {
            var shared = _random.Next(Models.Length);
            switch (_random.Next(20))
            {
                case < 4:
                    MapFixed(shared);
                    break;
                case < 7:
                    MapAuto(shared);
                    break;
                case < 10:
                    UnmapWindow(shared);
                    break;
                case < 12:
                    UnmapAutoArea(shared);
                    break;
                case < 14:
                    Copy(shared, _random.Next(Models.Length));
                    break;
                case 14:
                    Ranges(_run.Shared[shared]);
                    break;
                default:
                    Ephemeral();
                    break;
            }
        }

        private ulong WindowIova() => _windowStart + ((ulong)_random.Next(0, 256) * Page);

        private ulong SmallLength() => (ulong)_random.Next(1, 9) * Page;

        private ulong SourceVa() => SourceBase + ((ulong)_random.Next(0, 512) * Page) + (_random.Next(4) == 0 ? (ulong)_random.Next(1, (int)Page) : 0);

        private void MapFixed(int shared)
        {
            var iova = WindowIova();
            var length = SmallLength();
            var va = SourceVa();
            var engineIova = iova;
            var result = _file.IoasMap(ReadWrite | IommuIoasMapFlags.FixedIova, _run.Shared[shared], va, length, ref engineIova);
            var modelIova = iova;
            var expected = Models[shared].MapSpans(new[] { new ModelSpan(va, length, true) }, length, ref modelIova, true, true, allocate: false, va);
            if (result != expected)
            {
                Fail($"fixed MAP [{iova:X}, +{length:X}) in my window: {result}, expected {expected}");
            }
        }

        private void MapAuto(int shared)
        {
            var length = (ulong)_random.Next(1, 5) * Page;
            var va = SourceVa();
            ulong iova = 0;
            var result = _file.IoasMap(ReadWrite, _run.Shared[shared], va, length, ref iova);
            if (result != Errno.None)
            {
                Fail($"automatic MAP of {length:X}: {result}");
                return;
            }

            Record(shared, iova, length, va, true);
        }

        // Records an area the engine chose: inside the allowed range, over nothing this thread owns.
        private void Record(int shared, ulong iova, ulong length, ulong va, bool pagesWritable)
        {
            if (iova < AutoStart || iova + length - 1 > AutoLast)
            {
                Fail($"automatic IOVA {iova:X} (+{length:X}) outside the allowed range");
                return;
            }

            var model = Models[shared];
            if (model.CheckIova(iova, length) != Errno.None)
            {
                Fail($"automatic IOVA {iova:X} (+{length:X}) overlaps an area this thread owns");
                return;
            }

            model.Areas.Add(new ModelArea(iova, iova + length - 1, va, true, true, pagesWritable));
            model.Areas.Sort((a, b) => a.Iova.CompareTo(b.Iova));
        }

        private void UnmapWindow(int shared)
        {
            var model = Models[shared];
            var inWindow = model.Areas.Where(a => a.Iova >= _windowStart && a.Last <= _windowLast).ToList();
            ulong start;
            ulong last;
            if (inWindow.Count > 0 && _random.Next(3) != 0)
            {
                // A run of my areas, sometimes cut short at either end (ENOENT, possibly after removing some).
                var first = _random.Next(inWindow.Count);
                var end = Math.Min(inWindow.Count - 1, first + _random.Next(0, 3));
                start = inWindow[first].Iova + (_random.Next(6) == 0 ? Page : 0);
                last = inWindow[end].Last - (_random.Next(6) == 0 ? Page : 0);
                if (last < start)
                {
                    last = start;
                }
            }
            else
            {
                start = WindowIova();
                last = start + SmallLength() - 1;
            }

            var length = last - start + 1;
            var engineLength = length;
            var result = _file.IoasUnmap(_run.Shared[shared], start, ref engineLength);
            var expected = model.UnmapRange(start, last, out var unmapped);
            if (result != expected || (result == Errno.None && engineLength != unmapped))
            {
                Fail($"UNMAP [{start:X}, {last:X}] in my window: {result} {engineLength:X}, expected {expected} {unmapped:X}");
            }
        }

        private void UnmapAutoArea(int shared)
        {
            var model = Models[shared];
            var automatic = model.Areas.Where(a => a.Iova >= AutoStart).ToList();
            if (automatic.Count == 0)
            {
                return;
            }

            var area = automatic[_random.Next(automatic.Count)];
            var length = area.Length;
            var result = _file.IoasUnmap(_run.Shared[shared], area.Iova, ref length);
            model.Areas.Remove(area);
            if (result != Errno.None || length != area.Length)
            {
                Fail($"UNMAP of my automatic area {area}: {result} {length:X}");
            }
        }

        private void Copy(int from, int to)
        {
            var sources = Models[from].Areas;
            if (sources.Count == 0)
            {
                return;
            }

            var source = sources[_random.Next(sources.Count)];
            var offset = (ulong)_random.Next(0, (int)Math.Min(source.Length / Page, 4)) * Page;
            var length = Math.Min(source.Length - offset, (ulong)_random.Next(1, 4) * Page);
            var fixedIova = _random.Next(2) == 0;
            var dst = fixedIova ? WindowIova() : 0;
            var flags = fixedIova ? ReadWrite | IommuIoasMapFlags.FixedIova : ReadWrite;
            var result = _file.IoasCopy(flags, _run.Shared[to], _run.Shared[from], length, source.Iova + offset, ref dst);
            var span = new ModelSpan(source.UserVa + offset, length, source.PagesWritable);
            if (fixedIova)
            {
                var modelDst = dst;
                var expected = Models[to].MapSpans(new[] { span }, length, ref modelDst, true, true, allocate: false, span.UserVa);
                if (result != expected)
                {
                    Fail($"COPY {from}->{to} of {source} +{offset:X} len {length:X} to my window {dst:X}: {result}, expected {expected}");
                }
            }
            else if (result != Errno.None)
            {
                Fail($"automatic COPY {from}->{to} of {source} +{offset:X} len {length:X}: {result}");
            }
            else
            {
                Record(to, dst, length, span.UserVa, span.PagesWritable);
            }
        }

        private void Ranges(IoasId ioas)
        {
            uint count = 4;
            var result = _file.IoasIovaRanges(ioas, _rangeBuffer, ref count, out var alignment);
            var bytes = new byte[16];
            _run.Process.Read(_rangeBuffer, bytes);
            if (result != Errno.None || count != 1 || alignment != 1 || BitConverter.ToUInt64(bytes, 0) != 0 || BitConverter.ToUInt64(bytes, 8) != ulong.MaxValue)
            {
                Fail($"IOVA_RANGES of a shared IOAS: {result}, {count} ranges, alignment {alignment}");
            }
        }

        // ---- the ephemeral IOAS: anything goes, only the errno set is checked

        private void Ephemeral()
        {
            ref var slot = ref _run.Ephemeral;
            var id = new IoasId(Volatile.Read(ref slot));
            Errno result;
            var what = _random.Next(10);
            switch (what)
            {
                case 0:
                    if (id.Value != 0)
                    {
                        result = _file.Destroy(id);
                        if (result == Errno.None)
                        {
                            Interlocked.CompareExchange(ref slot, 0, id.Value);
                        }

                        break;
                    }

                    result = _file.IoasAlloc(IommuIoasAllocFlags.None, out var created);
                    if (result == Errno.None && Interlocked.CompareExchange(ref slot, created.Value, 0) != 0)
                    {
                        // Lost the race: drop the orphan (EBUSY if a stale ID holder is using it right now).
                        var dropped = _file.Destroy(created);
                        Check(dropped, "destroy of an orphan");
                    }

                    break;
                case 1:
                    var all = ulong.MaxValue;
                    result = _file.IoasUnmap(id, 0, ref all);
                    break;
                case 2:
                    var payload = new IommuTestPayload { AddReserved = new TestAddReserved { Start = (ulong)_random.Next(0, 64) * Page, Length = SmallLength() } };
                    result = _file.TestCmd(IommuTestOp.AddReserved, id, ref payload);
                    break;
                case 3:
                    var length = SmallLength();
                    result = _file.IoasUnmap(id, (ulong)_random.Next(0, 64) * Page, ref length);
                    break;
                case 4:
                    var sources = Models[0].Areas;
                    if (sources.Count == 0)
                    {
                        return;
                    }

                    var source = sources[_random.Next(sources.Count)];
                    ulong dst = 0;
                    result = _file.IoasCopy(ReadWrite, id, _run.Shared[0], source.Length, source.Iova, ref dst);
                    break;
                case 5:
                    uint count = 0;
                    result = _file.IoasIovaRanges(id, 0, ref count, out _);
                    break;
                case 6:
                    result = _file.IoasAllowIovas(id, 0, 0);
                    break;
                default:
                    var iova = (ulong)_random.Next(0, 64) * Page;
                    var flags = _random.Next(2) == 0 ? ReadWrite | IommuIoasMapFlags.FixedIova : ReadWrite;
                    result = _file.IoasMap(flags, id, SourceVa(), SmallLength(), ref iova);
                    break;
            }

            Check(result, $"ephemeral op {what} on {id}");
        }

        private void Check(Errno result, string what)
        {
            if (!EphemeralErrnos.Contains(result))
            {
                Fail($"{what}: {result}");
            }
        }
    }
}
