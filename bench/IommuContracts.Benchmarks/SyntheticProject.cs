using System.Globalization;

namespace IommuContracts.Benchmarks;

/// <summary>One source file of the synthetic project.</summary>
public sealed record SyntheticFile(int Index, string Path, string Text, bool DeclaresGeneratorInputs);

/// <summary>
/// Source text of a synthetic driver/VMM code base: <see cref="FileCount"/> files of similar size, of which
/// every tenth is a device driver that declares generator inputs (a typed ID, four ioctl structs of 4–8
/// fields, a dispatcher with a handler for each, and a client that calls the generated stubs). The rest is
/// ordinary code of the same size (records, services with loops, LINQ, async, pattern matching) that the
/// generator has no business with.
/// </summary>
public static class SyntheticProject
{
    public const int FileCount = 500;

    /// <summary>Files whose index has this remainder modulo 10 are device drivers (5, 15, …, 495).</summary>
    public const int DriverRemainder = 5;

    public const int StructsPerDriver = 4;

    /// <summary>Per driver: one source per ioctl struct, one for the dispatcher, one for the typed ID.</summary>
    public const int SourcesPerDriver = StructsPerDriver + 2;

    public const int DriverCount = FileCount / 10;

    public const int ExpectedGeneratedSources = DriverCount * SourcesPerDriver;

    /// <summary>The one line, inside <c>Checksum()</c>'s body in every ordinary file, that the edit benchmark changes.</summary>
    public const string EditableLine = "var scale = 3UL;";

    public const string EditedLine = "var scale = 5UL;";

    /// <summary>A field of every driver's RingMap struct that no code refers to; the declaration edit renames it.</summary>
    public const string EditableFieldName = "UserData";

    public const string EditableField = "public ulong " + EditableFieldName + ";";

    public const string EditedField = "public ulong UserCookie;";

    private static readonly string[] Areas = ["Memory", "Scheduling", "Net", "Storage", "Telemetry", "Config", "Migration", "Interrupts"];

    public static bool IsDriver(int index) => index % 10 == DriverRemainder;

    public static string DriverName(int index) => "Dev" + index.ToString("D3", CultureInfo.InvariantCulture);

    public static IReadOnlyList<SyntheticFile> Create()
    {
        var files = new List<SyntheticFile>(FileCount);
        for (var index = 0; index < FileCount; index++)
        {
            var text = index == 0 ? Common() : IsDriver(index) ? Driver(index) : Ordinary(index);
            files.Add(new SyntheticFile(index, $"Synthetic/File{index:D3}.cs", text, IsDriver(index)));
        }

        return files;
    }

    private static string Common() => """
        // Synthetic file 0: helpers shared by the ordinary files.
        using System;
        using System.Collections.Generic;

        namespace Contoso.Vmm.Common;

        public static class Align
        {
            public static ulong Up(ulong value, ulong alignment)
                => alignment == 0 ? value : (value + alignment - 1) / alignment * alignment;

            public static ulong Down(ulong value, ulong alignment)
                => alignment == 0 ? value : value / alignment * alignment;

            public static bool IsPowerOfTwo(ulong value) => value != 0 && (value & (value - 1)) == 0;
        }

        public static class EnumerableExtensions
        {
            public static ulong SumChecked(this IEnumerable<ulong> values)
            {
                ArgumentNullException.ThrowIfNull(values);
                ulong total = 0;
                foreach (var value in values)
                {
                    total = checked(total + value);
                }

                return total;
            }

            public static IEnumerable<T[]> Batches<T>(this IEnumerable<T> source, int size)
            {
                ArgumentNullException.ThrowIfNull(source);
                var batch = new List<T>(size);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count == size)
                    {
                        yield return batch.ToArray();
                        batch.Clear();
                    }
                }

                if (batch.Count > 0)
                {
                    yield return batch.ToArray();
                }
            }
        }
        """;

    private static string Ordinary(int index)
    {
        var n = index.ToString("D3", CultureInfo.InvariantCulture);
        var area = Areas[index % Areas.Length];
        var item = $"{area}Item{n}";
        var kind = $"{area}Kind{n}";
        return $$"""
            // Synthetic file {{index}}: ordinary VMM code, no generator input.
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using System.Linq;
            using System.Text;
            using System.Threading.Tasks;
            using Contoso.Vmm.Common;

            namespace Contoso.Vmm.{{area}};

            public enum {{kind}}
            {
                Idle,
                Active,
                Draining,
                Failed,
            }

            public sealed record {{item}}(int Id, string Name, ulong Address, ulong Length, {{kind}} Kind)
            {
                public ulong End => Address + Length;
            }

            public interface I{{area}}Source{{n}}
            {
                IEnumerable<{{item}}> Items();
            }

            public sealed class Fixed{{area}}Source{{n}} : I{{area}}Source{{n}}
            {
                private readonly int _count;

                public Fixed{{area}}Source{{n}}(int count) => _count = count;

                public IEnumerable<{{item}}> Items()
                {
                    for (var i = 0; i < _count; i++)
                    {
                        yield return new {{item}}(i, $"item{i}", (ulong)i * 0x1000, 0x1000, ({{kind}})(i % 4));
                    }
                }
            }

            public sealed class {{area}}Service{{n}}
            {
                private readonly List<{{item}}> _items = new();
                private readonly Dictionary<int, {{item}}> _byId = new();
                private readonly Dictionary<string, int> _cache = new(StringComparer.Ordinal);

                public int Count => _items.Count;

                public bool Add({{item}} item)
                {
                    ArgumentNullException.ThrowIfNull(item);
                    if (_byId.ContainsKey(item.Id))
                    {
                        return false;
                    }

                    _items.Add(item);
                    _byId[item.Id] = item;
                    return true;
                }

                public int Load(I{{area}}Source{{n}} source)
                {
                    ArgumentNullException.ThrowIfNull(source);
                    var added = 0;
                    foreach (var item in source.Items())
                    {
                        if (Add(item))
                        {
                            added++;
                        }
                    }

                    return added;
                }

                public ulong Checksum()
                {
                    ulong total = 17;
                    var scale = 3UL;
                    for (var i = 0; i < _items.Count; i++)
                    {
                        var item = _items[i];
                        total = unchecked((total * 31) + (item.Address * scale) + item.Length + (ulong)item.Id);
                    }

                    return total;
                }

                public IReadOnlyDictionary<{{kind}}, ulong> BytesByKind()
                    => _items.GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.Aggregate(0UL, (sum, i) => sum + i.Length));

                public IEnumerable<string> Describe(IEnumerable<KeyValuePair<int, string>> owners)
                    => from item in _items
                       join owner in owners on item.Id equals owner.Key
                       where item.Kind != {{kind}}.Failed
                       orderby item.Address
                       select $"{owner.Value}:{item.Name}@0x{item.Address:X}";

                public int CountOverlaps()
                {
                    var ordered = _items.OrderBy(i => i.Address).ToArray();
                    var overlaps = 0;
                    for (var a = 0; a < ordered.Length; a++)
                    {
                        for (var b = a + 1; b < ordered.Length && ordered[b].Address < ordered[a].End; b++)
                        {
                            overlaps++;
                        }
                    }

                    return overlaps;
                }

                public string Render()
                {
                    var builder = new StringBuilder();
                    foreach (var item in _items)
                    {
                        var state = item.Kind switch
                        {
                            {{kind}}.Idle => "idle",
                            {{kind}}.Active => "active",
                            {{kind}}.Draining => "draining",
                            _ => "failed",
                        };
                        builder.Append(item.Name).Append(' ').Append(state)
                            .Append(" [0x").Append(item.Address.ToString("X", CultureInfo.InvariantCulture)).AppendLine("]");
                    }

                    return builder.ToString();
                }

                public int IndexOf(string name)
                {
                    if (_cache.TryGetValue(name, out var cached))
                    {
                        return cached;
                    }

                    var index = _items.FindIndex(i => string.Equals(i.Name, name, StringComparison.Ordinal));
                    if (index >= 0)
                    {
                        _cache[name] = index;
                    }

                    return index;
                }

                public {{item}}? FindContaining(ulong address)
                {
                    var ordered = _items.OrderBy(i => i.Address).ToList();
                    int lo = 0, hi = ordered.Count - 1;
                    while (lo <= hi)
                    {
                        var mid = lo + ((hi - lo) / 2);
                        var item = ordered[mid];
                        if (address < item.Address)
                        {
                            hi = mid - 1;
                        }
                        else if (address >= item.End)
                        {
                            lo = mid + 1;
                        }
                        else
                        {
                            return item;
                        }
                    }

                    return null;
                }

                public async Task<int> DrainAsync(Func<{{item}}, Task<bool>> drain)
                {
                    ArgumentNullException.ThrowIfNull(drain);
                    var drained = 0;
                    foreach (var item in _items.Where(i => i.Kind == {{kind}}.Draining).ToList())
                    {
                        if (await drain(item).ConfigureAwait(false))
                        {
                            _byId[item.Id] = item with { Kind = {{kind}}.Idle };
                            drained++;
                        }
                    }

                    return drained;
                }

                public TResult Fold<TResult>(TResult seed, Func<TResult, {{item}}, TResult> step)
                {
                    ArgumentNullException.ThrowIfNull(step);
                    var acc = seed;
                    foreach (var item in _items)
                    {
                        acc = step(acc, item);
                    }

                    return acc;
                }

                public ulong AlignedFootprint(ulong alignment)
                    => _items.Select(i => Align.Up(i.Length, alignment)).SumChecked();

                public (double Mean, double StdDev) LengthStatistics()
                {
                    if (_items.Count == 0)
                    {
                        return (0, 0);
                    }

                    var mean = _items.Average(i => (double)i.Length);
                    var variance = _items.Sum(i => Math.Pow(i.Length - mean, 2)) / _items.Count;
                    return (mean, Math.Sqrt(variance));
                }

                public IEnumerable<int[]> IdBatches(int size) => _items.Select(i => i.Id).Batches(size);
            }
            """;
    }

    private static string Driver(int index)
    {
        var d = DriverName(index);
        var first = 0x80 + (index / 10 % 16 * StructsPerDriver);
        string Number(int offset) => "0x" + (first + offset).ToString("X2", CultureInfo.InvariantCulture);
        var upper = d.ToUpperInvariant();
        return $$"""
            // Synthetic file {{index}}: a device driver that declares generator inputs.
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Contoso.Vmm.Devices.{{d}};

            /// <summary>A queue of device {{d}}.</summary>
            [TypedObjectId]
            public readonly partial struct {{d}}QueueId;

            [Flags]
            public enum {{d}}QueueFlags : uint
            {
                None = 0,
                Interrupts = 1,
                Polled = 2,
                Priority = 8,
            }

            [Flags]
            public enum {{d}}MapFlags : uint
            {
                None = 0,
                Readable = 1,
                Writeable = 2,
            }

            /// <summary>Allocates a queue bound to an IOAS.</summary>
            [IoctlCommand(0x3B, {{Number(0)}}, Name = "{{upper}}_QUEUE_ALLOC")]
            public partial struct {{d}}QueueAlloc
            {
                [SizeField] public uint Size;
                [CheckedFlags] public {{d}}QueueFlags Flags;
                public IoasId IoasId;
                public uint Depth;
                [Output, LastMandatory] public {{d}}QueueId OutQueueId;
            }

            /// <summary>Maps a ring buffer of a queue at a fixed or chosen IOVA.</summary>
            [IoctlCommand(0x3B, {{Number(1)}}, Name = "{{upper}}_RING_MAP")]
            public partial struct {{d}}RingMap
            {
                [SizeField] public uint Size;
                [CheckedFlags] public {{d}}MapFlags Flags;
                public {{d}}QueueId QueueId;
                [Reserved] public uint Reserved;
                public ulong UserVa;
                public ulong Length;
                [InOut, LastMandatory] public ulong Iova;
                public ulong UserData;
            }

            /// <summary>Rings the doorbell of a queue.</summary>
            [IoctlCommand(0x3B, {{Number(2)}}, Name = "{{upper}}_DOORBELL")]
            public partial struct {{d}}Doorbell
            {
                [SizeField] public uint Size;
                public {{d}}QueueId QueueId;
                public uint Value;
                [Reserved, LastMandatory] public uint Reserved;
            }

            /// <summary>Reads the counters of a queue.</summary>
            [IoctlCommand(0x3B, {{Number(3)}}, Name = "{{upper}}_QUEUE_STATS")]
            public partial struct {{d}}QueueStats
            {
                [SizeField] public uint Size;
                [CheckedFlags] public {{d}}QueueFlags Flags;
                public {{d}}QueueId QueueId;
                [Reserved] public uint Reserved;
                [Output] public ulong OutPackets;
                [Output, LastMandatory] public ulong OutBytes;
            }

            /// <summary>The kernel side of device {{d}}: queues, rings and counters.</summary>
            [IoctlDispatcher]
            public sealed partial class {{d}}File
            {
                private readonly Dictionary<uint, QueueState> _queues = new();
                private uint _nextQueue = 1;
                private ulong _nextIova = 0x10000;

                public int QueueCount => _queues.Count;

                [IoctlHandler(typeof({{d}}QueueAlloc))]
                private Errno QueueAlloc(ref {{d}}QueueAlloc a)
                {
                    if (a.Depth == 0 || (a.Depth & (a.Depth - 1)) != 0)
                    {
                        return Errno.EINVAL;
                    }

                    if (!a.IoasId.IsValid)
                    {
                        return Errno.ENOENT;
                    }

                    var id = _nextQueue++;
                    _queues[id] = new QueueState(a.Depth, a.IoasId.Value);
                    a.OutQueueId = new {{d}}QueueId(id);
                    return Errno.None;
                }

                [IoctlHandler(typeof({{d}}RingMap))]
                private Errno RingMap(ref {{d}}RingMap a)
                {
                    if (!_queues.TryGetValue(a.QueueId.Value, out var queue))
                    {
                        return Errno.ENOENT;
                    }

                    if (a.Length == 0 || (a.Length & 0xFFF) != 0)
                    {
                        return Errno.EINVAL;
                    }

                    if (a.Iova == 0)
                    {
                        a.Iova = _nextIova;
                        _nextIova += a.Length;
                    }

                    queue.Rings.Add((a.Iova, a.Length));
                    return Errno.None;
                }

                [IoctlHandler(typeof({{d}}Doorbell))]
                private Errno Doorbell(ref {{d}}Doorbell a)
                {
                    if (!_queues.TryGetValue(a.QueueId.Value, out var queue))
                    {
                        return Errno.ENOENT;
                    }

                    if (queue.Rings.Count == 0)
                    {
                        return Errno.EBUSY;
                    }

                    queue.Packets += a.Value;
                    queue.Bytes += (ulong)a.Value * 64;
                    return Errno.None;
                }

                [IoctlHandler(typeof({{d}}QueueStats))]
                private Errno QueueStats(ref {{d}}QueueStats a)
                {
                    if (!_queues.TryGetValue(a.QueueId.Value, out var queue))
                    {
                        return Errno.ENOENT;
                    }

                    a.OutPackets = queue.Packets;
                    a.OutBytes = queue.Bytes;
                    return Errno.None;
                }

                public ulong MappedBytes()
                    => _queues.Values.SelectMany(q => q.Rings).Aggregate(0UL, (sum, r) => sum + r.Length);

                public IEnumerable<uint> BusiestQueues(int count)
                    => _queues.OrderByDescending(p => p.Value.Packets).ThenBy(p => p.Key).Take(count).Select(p => p.Key);

                private sealed class QueueState
                {
                    public QueueState(uint depth, uint ioas)
                    {
                        Depth = depth;
                        Ioas = ioas;
                    }

                    public uint Depth { get; }

                    public uint Ioas { get; }

                    public List<(ulong Iova, ulong Length)> Rings { get; } = new();

                    public ulong Packets { get; set; }

                    public ulong Bytes { get; set; }
                }
            }

            /// <summary>The VMM side of device {{d}}: sets up a queue with one ring through the generated stubs.</summary>
            public sealed class {{d}}Client
            {
                private readonly IIoctlFile _file;

                public {{d}}Client(IIoctlFile file) => _file = file;

                public Errno Start(IoasId ioas, ulong ringVa, out {{d}}QueueId queue, out ulong iova)
                {
                    iova = 0;
                    var rc = _file.{{d}}QueueAlloc({{d}}QueueFlags.Interrupts, ioas, 256, out queue);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    rc = _file.{{d}}RingMap({{d}}MapFlags.Readable | {{d}}MapFlags.Writeable, queue, ringVa, 0x4000, 0, ref iova);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    return _file.{{d}}Doorbell(queue, 1);
                }

                public (ulong Packets, ulong Bytes) Stats({{d}}QueueId queue)
                {
                    var rc = _file.{{d}}QueueStats({{d}}QueueFlags.None, queue, out var packets, out var bytes);
                    return rc == Errno.None ? (packets, bytes) : (0, 0);
                }
            }
            """;
    }
}
