using System.Runtime.InteropServices;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Properties;

/// <summary>Thrown when the engine and the reference model disagree; the message carries the ioctl transcript.</summary>
internal sealed class ModelMismatchException : Exception
{
    public ModelMismatchException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Runs operations against a fresh engine process (one /dev/iommu fd) and the <see cref="ModelWorld"/> side by
/// side. Every ioctl's errno and returned IOVA / length is compared with the model; after every operation the
/// whole observable state is compared (IOVA_RANGES through the ioctl, areas and allowed ranges through the
/// engine's io_pagetable, invariants, reference counts, kernel WARNs).
/// </summary>
internal sealed class IoasPropertyHarness : IDisposable
{
    private const int RangeBufferEntries = 64;
    private static readonly int RangeSize = Marshal.SizeOf<IommuIovaRange>();

    private readonly List<string> _transcript = new();
    private bool _closed;

    public IoasPropertyHarness()
    {
        Process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        Fd = Process.OpenIommufd();
        RangeBuffer = Process.Mmap((ulong)(RangeBufferEntries * RangeSize));
        World = new ModelWorld();
        for (var slot = 0; slot < ModelWorld.SlotCount; slot++)
        {
            Alloc(slot);
        }
    }

    public SimulatedProcess Process { get; }

    public int Fd { get; }

    public IIoctlFile File => Process.File(Fd);

    public ulong RangeBuffer { get; }

    public ModelWorld World { get; }

    public IReadOnlyList<string> Transcript => _transcript;

    public static string H(ulong value) => IoasReferenceModel.Hex(value);

    public void Log(string line) => _transcript.Add(line);

    public void Fail(string what)
        => throw new ModelMismatchException($"{what}\nTranscript:\n  {string.Join("\n  ", _transcript)}");

    public void Expect<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Fail($"{what}: model expects {expected}, engine gave {actual}");
        }
    }

    // ------------------------------------------------------------ operations (engine + model)

    public void Alloc(int slot)
    {
        if (World.Model(slot) is not null)
        {
            return;
        }

        var result = File.IoasAlloc(IommuIoasAllocFlags.None, out var id);
        var expectedId = World.Allocate(slot);
        Log($"IOAS_ALLOC -> {result}, id {id.Value}");
        Expect(Errno.None, result, "IOAS_ALLOC errno");
        Expect(expectedId, id.Value, "IOAS_ALLOC id (lowest free)");
    }

    public void Destroy(int slot)
    {
        var id = World.IdOf(slot);
        var result = File.Destroy(new ObjectId(id));
        var expected = World.Destroy(slot);
        Log($"DESTROY id {id} -> {result}");
        Expect(expected, result, $"DESTROY {id} errno");
    }

    /// <summary>IOMMU_IOAS_MAP on engine and model; returns the engine's errno and IOVA (already checked against the model).</summary>
    public (Errno Result, ulong Iova) Map(IommuIoasMapFlags flags, int slot, ulong userVa, ulong length, ulong iova)
    {
        var id = World.IdOf(slot);
        var engineIova = iova;
        var result = File.IoasMap(flags, new IoasId(id), userVa, length, ref engineIova);
        var modelIova = iova;
        var expected = World.Map(flags, slot, userVa, length, ref modelIova);
        Log($"MAP ioas {id} flags {flags} va {H(userVa)} len {H(length)} iova {H(iova)} -> {result}, iova {H(engineIova)}");
        Expect(expected, result, "MAP errno");
        if (expected == Errno.None)
        {
            Expect(H(modelIova), H(engineIova), "MAP iova");
        }

        return (result, engineIova);
    }

    /// <summary>IOMMU_IOAS_UNMAP on engine and model; returns the engine's errno and length (already checked against the model).</summary>
    public (Errno Result, ulong Length) Unmap(int slot, ulong iova, ulong length)
    {
        var id = World.IdOf(slot);
        var engineLength = length;
        var result = File.IoasUnmap(new IoasId(id), iova, ref engineLength);
        var modelLength = length;
        var expected = World.Unmap(slot, iova, ref modelLength);
        Log($"UNMAP ioas {id} iova {H(iova)} len {H(length)} -> {result}, len {H(engineLength)}");
        Expect(expected, result, "UNMAP errno");
        if (expected == Errno.None)
        {
            Expect(H(modelLength), H(engineLength), "UNMAP length");
        }

        return (result, engineLength);
    }

    public void Copy(IommuIoasMapFlags flags, int dstSlot, int srcSlot, ulong length, ulong srcIova, ulong dstIova)
    {
        var dst = World.IdOf(dstSlot);
        var src = World.IdOf(srcSlot);
        var engineDst = dstIova;
        var result = File.IoasCopy(flags, new IoasId(dst), new IoasId(src), length, srcIova, ref engineDst);
        var modelDst = dstIova;
        var expected = World.Copy(flags, dstSlot, srcSlot, length, srcIova, ref modelDst);
        Log($"COPY flags {flags} dst {dst} src {src} len {H(length)} src_iova {H(srcIova)} dst_iova {H(dstIova)} -> {result}, dst_iova {H(engineDst)}");
        Expect(expected, result, "COPY errno");
        if (expected == Errno.None)
        {
            Expect(H(modelDst), H(engineDst), "COPY dst_iova");
        }
    }

    public void AddReserved(int slot, ulong start, ulong length)
    {
        var id = World.IdOf(slot);
        var payload = new IommuTestPayload { AddReserved = new TestAddReserved { Start = start, Length = length } };
        var result = File.TestCmd(IommuTestOp.AddReserved, new ObjectId(id), ref payload);
        var expected = World.AddReserved(slot, start, length);
        Log($"ADD_RESERVED ioas {id} start {H(start)} len {H(length)} -> {result}");
        Expect(expected, result, "ADD_RESERVED errno");
    }

    /// <summary>ALLOW_IOVAS with the ranges in user memory, or (unreadable) with a NULL array pointer.</summary>
    public void AllowIovas(int slot, IReadOnlyList<(ulong Start, ulong Last)> ranges, bool nullPointer)
    {
        var id = World.IdOf(slot);
        ulong address = 0;
        if (!nullPointer)
        {
            address = RangeBuffer;
            var bytes = new byte[ranges.Count * RangeSize];
            var typed = MemoryMarshal.Cast<byte, IommuIovaRange>(bytes.AsSpan());
            for (var i = 0; i < ranges.Count; i++)
            {
                typed[i] = new IommuIovaRange(ranges[i].Start, ranges[i].Last);
            }

            Expect(Errno.None, Process.Write(address, bytes), "writing the allowed ranges");
        }

        var result = File.IoasAllowIovas(new IoasId(id), (uint)ranges.Count, address);
        var expected = World.AllowIovas(slot, nullPointer ? null : ranges, (uint)ranges.Count);
        Log($"ALLOW_IOVAS ioas {id} {(nullPointer ? "NULL " : "")}[{string.Join(", ", ranges.Select(r => $"[{H(r.Start)}, {H(r.Last)}]"))}] -> {result}");
        Expect(expected, result, "ALLOW_IOVAS errno");
    }

    /// <summary>IOVA_RANGES with a small capacity: EMSGSIZE semantics (count, entries written, nothing beyond).</summary>
    public void IovaRanges(int slot, uint capacity)
    {
        var id = World.IdOf(slot);
        var sentinel = Enumerable.Repeat((byte)0xA5, RangeBufferEntries * RangeSize).ToArray();
        Expect(Errno.None, Process.Write(RangeBuffer, sentinel), "filling the range buffer");
        var count = capacity;
        var result = File.IoasIovaRanges(new IoasId(id), RangeBuffer, ref count, out var alignment);
        var expected = World.IovaRanges(slot, out var ranges);
        Log($"IOVA_RANGES ioas {id} capacity {capacity} -> {result}, num {count}");
        if (expected == Errno.None && ranges.Count > capacity)
        {
            expected = Errno.EMSGSIZE;
        }

        Expect(expected, result, "IOVA_RANGES errno");
        if (expected is not (Errno.None or Errno.EMSGSIZE))
        {
            return;
        }

        Expect((uint)ranges.Count, count, "IOVA_RANGES num_iovas");
        Expect(1UL, alignment, "IOVA_RANGES out_iova_alignment");
        var written = ReadRanges(RangeBufferEntries);
        for (var i = 0; i < RangeBufferEntries; i++)
        {
            var expectedEntry = i < Math.Min(capacity, ranges.Count)
                ? $"[{H(ranges[i].Start)}, {H(ranges[i].Last)}]"
                : $"[{H(0xA5A5A5A5A5A5A5A5)}, {H(0xA5A5A5A5A5A5A5A5)}]";
            Expect(expectedEntry, $"[{H(written[i].Start)}, {H(written[i].Last)}]", $"IOVA_RANGES entry {i}");
        }
    }

    // ------------------------------------------------------------ whole-state comparison

    /// <summary>Compares everything observable with the model and checks the engine's invariants.</summary>
    public void CheckState()
    {
        if (Process.Kernel.Log.Warnings.Count != 0)
        {
            Fail($"kernel WARN: {string.Join(" | ", Process.Kernel.Log.Warnings)}");
        }

        var context = EngineProbe.Context(Process, Fd)!;
        var problems = EngineProbe.QuiescentProblems(context);
        if (problems.Count != 0)
        {
            Fail($"invariants: {string.Join(" | ", problems)}");
        }

        var engineIds = EngineProbe.IoasObjects(context).Select(i => i.Id.Value).OrderBy(v => v).ToList();
        var modelIds = World.Live().Select(l => l.Id).OrderBy(v => v).ToList();
        Expect(string.Join(",", modelIds), string.Join(",", engineIds), "live IOAS IDs");

        foreach (var (slot, id, model) in World.Live())
        {
            var ioas = EngineProbe.FindIoas(context, id)!;
            var engineAreas = ioas.Iopt.Areas().Select(a => FormatArea(EngineProbe.Describe(a))).ToList();
            var modelAreas = model.Areas.Select(a => FormatArea((a.Iova, a.Last, a.UserVa, ProtOf(a), a.PagesWritable))).ToList();
            Expect(string.Join(" ", modelAreas), string.Join(" ", engineAreas), $"areas of IOAS {id}");

            var engineAllowed = ioas.Iopt.AllowedRanges().OrderBy(r => r.Start).Select(r => $"[{H(r.Start)}, {H(r.Last)}]");
            var modelAllowed = model.Allowed.OrderBy(r => r.Start).Select(r => $"[{H(r.Start)}, {H(r.Last)}]");
            Expect(string.Join(" ", modelAllowed), string.Join(" ", engineAllowed), $"allowed ranges of IOAS {id}");

            // IOVA_RANGES through the ioctl, with room for everything.
            uint count = RangeBufferEntries;
            var result = File.IoasIovaRanges(new IoasId(id), RangeBuffer, ref count, out var alignment);
            Expect(Errno.None, result, $"IOVA_RANGES of IOAS {id}");
            Expect(1UL, alignment, $"IOVA alignment of IOAS {id}");
            var engineRanges = ReadRanges((int)Math.Min(count, RangeBufferEntries)).Select(r => $"[{H(r.Start)}, {H(r.Last)}]");
            var modelRanges = model.UsableRanges().Select(r => $"[{H(r.Start)}, {H(r.Last)}]");
            Expect(string.Join(" ", modelRanges), string.Join(" ", engineRanges), $"IOVA_RANGES of IOAS {id}");
        }
    }

    /// <summary>Closes the fd: everything must go without a WARN and without a pinned page left.</summary>
    public void Close()
    {
        _closed = true;
        Expect(Errno.None, Process.Close(Fd), "close");
        if (Process.Kernel.Log.Warnings.Count != 0)
        {
            Fail($"kernel WARN at close: {string.Join(" | ", Process.Kernel.Log.Warnings)}");
        }
    }

    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            Process.Close(Fd);
        }
    }

    private static IommuProt ProtOf(ModelArea area)
        => IommuProt.Cache | (area.Readable ? IommuProt.Read : IommuProt.None) | (area.Writable ? IommuProt.Write : IommuProt.None);

    private static string FormatArea((ulong Iova, ulong Last, ulong UserVa, IommuProt Prot, bool PagesWritable) area)
        => $"[{H(area.Iova)}, {H(area.Last)}]@{H(area.UserVa)}:{area.Prot}{(area.PagesWritable ? "" : ":ro")}";

    private IommuIovaRange[] ReadRanges(int entries)
    {
        var bytes = new byte[entries * RangeSize];
        Expect(Errno.None, Process.Read(RangeBuffer, bytes), "reading the range buffer");
        return MemoryMarshal.Cast<byte, IommuIovaRange>(bytes).ToArray();
    }
}
