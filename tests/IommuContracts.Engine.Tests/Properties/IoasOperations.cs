using CsCheck;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Properties;

/// <summary>Where an address comes from: a constant, or an edge of something the model already holds.</summary>
internal enum PickKind
{
    Absolute,
    AreaStart,
    AreaEnd,
    ReservedStart,
    ReservedEnd,
    AllowedStart,
    AllowedEnd,
}

/// <summary>
/// An address chosen relative to the current state (so random operation lists keep hitting existing areas
/// and their edges), resolved against the model just before the ioctl; falls back to <see cref="Value"/>.
/// </summary>
internal readonly record struct Pick(PickKind Kind, int Index, long Delta, ulong Value)
{
    public ulong Resolve(IoasReferenceModel? model)
    {
        if (model is null || Kind == PickKind.Absolute)
        {
            return Value;
        }

        var edges = Kind switch
        {
            PickKind.AreaStart => model.Areas.Select(a => a.Iova).ToList(),
            PickKind.AreaEnd => model.Areas.Select(a => unchecked(a.Last + 1)).ToList(),
            PickKind.ReservedStart => model.Reserved.Select(r => r.Start).ToList(),
            PickKind.ReservedEnd => model.Reserved.Select(r => unchecked(r.Last + 1)).ToList(),
            PickKind.AllowedStart => model.Allowed.Select(r => r.Start).ToList(),
            _ => model.Allowed.Select(r => unchecked(r.Last + 1)).ToList(),
        };
        return edges.Count == 0 ? Value : unchecked(edges[Index % edges.Count] + (ulong)Delta);
    }

    public override string ToString() => Kind == PickKind.Absolute ? IoasReferenceModel.Hex(Value) : $"{Kind}[{Index}]{Delta:+0;-0;+0}|{IoasReferenceModel.Hex(Value)}";
}

/// <summary>How a length is chosen.</summary>
internal enum LengthKind
{
    Absolute,

    /// <summary>Up to the end of area N (plus a delta), measured from the resolved start.</summary>
    ToAreaEnd,

    /// <summary>Up to the end of the area holding the start (plus a delta), or of area N counted from it.</summary>
    ToContainingAreaEnd,
}

/// <summary>A length: a constant, or up to the end of an area of the current state measured from the resolved start.</summary>
internal readonly record struct LengthPick(LengthKind Kind, int Index, long Delta, ulong Value)
{
    public ulong Resolve(IoasReferenceModel? model, ulong start)
    {
        if (Kind == LengthKind.Absolute || model is null || model.Areas.Count == 0)
        {
            return Value;
        }

        ModelArea area;
        if (Kind == LengthKind.ToAreaEnd)
        {
            area = model.Areas[Index % model.Areas.Count];
        }
        else
        {
            var holder = model.Areas.FindIndex(a => a.Iova <= start && start <= a.Last);
            if (holder < 0)
            {
                return Value;
            }

            area = model.Areas[Math.Min(model.Areas.Count - 1, holder + (Index % 3))];
        }

        var end = unchecked(area.Last + 1 + (ulong)Delta);
        return end > start ? end - start : Value;
    }

    public override string ToString() => Kind == LengthKind.Absolute ? IoasReferenceModel.Hex(Value) : $"{Kind}[{Index}]{Delta:+0;-0;+0}|{IoasReferenceModel.Hex(Value)}";
}

/// <summary>One step of a property run: resolves its arguments against the model, then runs engine and model.</summary>
internal abstract record IoasOp
{
    public abstract void Run(IoasPropertyHarness harness);
}

internal sealed record MapOp(int Slot, IommuIoasMapFlags Flags, ulong UserVa, ulong Length, Pick Iova) : IoasOp
{
    public override void Run(IoasPropertyHarness harness)
        => harness.Map(Flags, Slot, UserVa, Length, Iova.Resolve(harness.World.Model(Slot)));
}

internal sealed record UnmapOp(int Slot, Pick Iova, LengthPick Length) : IoasOp
{
    public override void Run(IoasPropertyHarness harness)
    {
        var model = harness.World.Model(Slot);
        var iova = Iova.Resolve(model);
        harness.Unmap(Slot, iova, Length.Resolve(model, iova));
    }
}

internal sealed record UnmapAllOp(int Slot) : IoasOp
{
    public override void Run(IoasPropertyHarness harness) => harness.Unmap(Slot, 0, ulong.MaxValue);
}

internal sealed record CopyOp(IommuIoasMapFlags Flags, int DstSlot, int SrcSlot, Pick SrcIova, LengthPick Length, Pick DstIova) : IoasOp
{
    public override void Run(IoasPropertyHarness harness)
    {
        var source = harness.World.Model(SrcSlot);
        var srcIova = SrcIova.Resolve(source);
        harness.Copy(Flags, DstSlot, SrcSlot, Length.Resolve(source, srcIova), srcIova, DstIova.Resolve(harness.World.Model(DstSlot)));
    }
}

internal sealed record ReserveOp(int Slot, Pick Start, ulong Length) : IoasOp
{
    public override void Run(IoasPropertyHarness harness)
    {
        var start = Start.Resolve(harness.World.Model(Slot));

        // Empty and wrapping ranges are refused before anything else; keep to ranges that reach the IOAS.
        var length = Math.Max(1, Length);
        if (!IoasReferenceModel.TryLast(start, length, out _))
        {
            length = ulong.MaxValue - start + 1;
            if (length == 0)
            {
                length = ulong.MaxValue;
            }
        }

        harness.AddReserved(Slot, start, length);
    }
}

internal sealed record AllowOp(int Slot, (Pick Start, ulong Length)[] Ranges, bool Adjacent, bool NullPointer) : IoasOp
{
    public override void Run(IoasPropertyHarness harness)
    {
        var model = harness.World.Model(Slot);
        var ranges = new List<(ulong Start, ulong Last)>();
        foreach (var (start, length) in Ranges)
        {
            // Adjacent: each range starts right after the previous one (adjacent allowed ranges are one span).
            var first = Adjacent && ranges.Count > 0 ? unchecked(ranges[^1].Last + 1) : start.Resolve(model);
            ranges.Add((first, unchecked(first + length - 1)));
        }

        harness.AllowIovas(Slot, ranges, NullPointer && ranges.Count > 0);
    }
}

internal sealed record RangesOp(int Slot, uint Capacity) : IoasOp
{
    public override void Run(IoasPropertyHarness harness) => harness.IovaRanges(Slot, Capacity);
}

internal sealed record DestroyOp(int Slot) : IoasOp
{
    public override void Run(IoasPropertyHarness harness) => harness.Destroy(Slot);
}

internal sealed record AllocOp(int Slot) : IoasOp
{
    public override void Run(IoasPropertyHarness harness) => harness.Alloc(Slot);
}

/// <summary>CsCheck generators of operation lists, biased towards small, colliding IOVAs and edge values.</summary>
internal static class IoasOpGenerators
{
    public const ulong Page = IoasReferenceModel.PageSize;
    public const ulong UserBase = 0x7F00_0000_0000;
    private const ulong Max = ulong.MaxValue;

    private static readonly ulong[] SpecialAddresses =
    {
        0, 1, Page - 1, Page, Page + 1, 2 * Page, 0x800, 0x1000_0000, 2UL << 20, 1UL << 32,
        Max / 2, (Max / 2) + 1, Max - (2 * Page) + 1, Max - Page, Max - Page + 1, Max - 1, Max,
    };

    private static readonly ulong[] SpecialLengths =
    {
        0, 1, 2, 3, 4, Page - 1, Page + 1, 2UL << 20, (2UL << 20) + Page, 1UL << 40,
        (Max / 2) - 1, Max / 2, (Max / 2) + 1, Max - Page - 1, Max - Page, Max - Page + 1, Max - 1, Max,
    };

    private static readonly long[] Deltas = { 0, 0, 0, 0, 1, -1, (long)Page, -(long)Page, 2, -2, 0x800 };

    /// <summary>IOVAs around the low window start, where automatic allocation lands too.</summary>
    public static readonly Gen<ulong> Iova = Gen.Frequency(
        (10, from pages in Gen.Int[0, 40]
             from offset in Gen.OneOf(0UL, 0UL, 0UL, 1UL, 4UL, 8UL, 0x104UL, 0x800UL, Page - 1)
             select ((ulong)pages * Page) + offset),
        (3, Gen.ULong[0, 48 * Page]),
        (2, Gen.OneOf(SpecialAddresses)),
        (1, Gen.ULong));

    public static readonly Gen<ulong> Length = Gen.Frequency(
        (10, Gen.Int[1, 8].Select(p => (ulong)p * Page)),
        (4, Gen.ULong[1, 3 * Page]),
        (3, Gen.ULong[1, 16]),
        (2, Gen.OneOf(SpecialLengths)),
        (1, Gen.ULong));

    /// <summary>User addresses: nothing is pinned without a domain, so any value is a valid MAP source.</summary>
    public static readonly Gen<ulong> UserVa = Gen.Frequency(
        (10, from pages in Gen.Int[0, 32]
             from offset in Gen.Frequency((4, Gen.Const(0UL)), (1, Gen.ULong[1, Page - 1]), (1, Gen.OneOf(1UL, 2UL, 4UL, 8UL, 0x104UL, 0x800UL)))
             select UserBase + ((ulong)pages * Page) + offset),
        (2, Gen.ULong[0, 1UL << 48]),
        (2, Gen.OneOf(SpecialAddresses)));

    public static readonly Gen<Pick> Pick = Gen.Frequency(
        (6, Iova.Select(v => new Pick(PickKind.Absolute, 0, 0, v))),
        (4, from kind in Gen.OneOf(PickKind.AreaStart, PickKind.AreaEnd)
            from index in Gen.Int[0, 7]
            from delta in Gen.OneOf(Deltas)
            from fallback in Iova
            select new Pick(kind, index, delta, fallback)),
        (1, from kind in Gen.OneOf(PickKind.ReservedStart, PickKind.ReservedEnd, PickKind.AllowedStart, PickKind.AllowedEnd)
            from index in Gen.Int[0, 3]
            from delta in Gen.OneOf(Deltas)
            from fallback in Iova
            select new Pick(kind, index, delta, fallback)));

    private static readonly long[] SmallDeltas = { 0, 0, 0, 0, 0, 0, -1, 1, -(long)Page };

    public static readonly Gen<LengthPick> LengthPick = Gen.Frequency(
        (5, Length.Select(v => new LengthPick(LengthKind.Absolute, 0, 0, v))),
        (2, from index in Gen.Int[0, 7]
            from delta in Gen.OneOf(Deltas)
            from fallback in Length
            select new LengthPick(LengthKind.ToAreaEnd, index, delta, fallback)),
        (4, from index in Gen.Frequency((4, Gen.Const(0)), (1, Gen.Int[1, 2]))
            from delta in Gen.OneOf(SmallDeltas)
            from fallback in Length
            select new LengthPick(LengthKind.ToContainingAreaEnd, index, delta, fallback)));

    /// <summary>Starts at (or just around) an existing area's first byte: what successful UNMAPs and COPYs need.</summary>
    public static readonly Gen<Pick> AreaPick = Gen.Frequency(
        (1, Pick),
        (3, from index in Gen.Int[0, 7]
            from delta in Gen.Frequency((6, Gen.Const(0L)), (1, Gen.OneOf(1L, -1L, (long)Page, 0x800L)))
            from fallback in Iova
            select new Pick(PickKind.AreaStart, index, delta, fallback)));

    /// <summary>Mostly the two live slots, sometimes an ID that does not exist.</summary>
    public static readonly Gen<int> Slot = Gen.Frequency((8, Gen.Const(0)), (4, Gen.Const(1)), (1, Gen.Const(ModelWorld.MissingSlot)));

    public static readonly Gen<IommuIoasMapFlags> Prot = Gen.Frequency(
        (10, Gen.Const(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable)),
        (3, Gen.Const(IommuIoasMapFlags.Readable)),
        (2, Gen.Const(IommuIoasMapFlags.Writeable)),
        (1, Gen.Const(IommuIoasMapFlags.None)),
        (1, Gen.Const((IommuIoasMapFlags)0x8 | IommuIoasMapFlags.Readable)),
        (1, Gen.UInt.Select(v => (IommuIoasMapFlags)v)));

    public static readonly Gen<IoasOp> MapFixed =
        from slot in Slot
        from prot in Prot
        from va in UserVa
        from length in Length
        from iova in Pick
        select (IoasOp)new MapOp(slot, prot | IommuIoasMapFlags.FixedIova, va, length, iova);

    public static readonly Gen<IoasOp> MapAuto =
        from slot in Slot
        from prot in Prot
        from va in UserVa
        from length in Length
        from iova in Gen.Frequency((6, Gen.Const(new Pick(PickKind.Absolute, 0, 0, 0))), (1, Pick))
        select (IoasOp)new MapOp(slot, prot & ~IommuIoasMapFlags.FixedIova, va, length, iova);

    public static readonly Gen<IoasOp> Unmap =
        from slot in Slot
        from iova in AreaPick
        from length in LengthPick
        select (IoasOp)new UnmapOp(slot, iova, length);

    public static readonly Gen<IoasOp> UnmapAll = Slot.Select(s => (IoasOp)new UnmapAllOp(s));

    public static readonly Gen<IoasOp> Copy =
        from dst in Slot
        from src in Slot
        from prot in Prot
        from fixedIova in Gen.Bool
        from srcIova in AreaPick
        from length in LengthPick
        from dstIova in Pick
        select (IoasOp)new CopyOp(fixedIova ? prot | IommuIoasMapFlags.FixedIova : prot & ~IommuIoasMapFlags.FixedIova, dst, src, srcIova, length, dstIova);

    public static readonly Gen<IoasOp> Reserve =
        from slot in Slot
        from start in Pick
        from length in Length
        select (IoasOp)new ReserveOp(slot, start, length);

    public static readonly Gen<IoasOp> Allow =
        from slot in Slot
        from ranges in Gen.Select(Pick, Gen.Frequency((6, Length), (2, Gen.ULong[16 * Page, 1UL << 36]))).Array[0, 3]
        from adjacent in Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true)))
        from nullPointer in Gen.Frequency((12, Gen.Const(false)), (1, Gen.Const(true)))
        select (IoasOp)new AllowOp(slot, ranges, adjacent, nullPointer);

    public static readonly Gen<IoasOp> Ranges =
        from slot in Slot
        from capacity in Gen.UInt[0, 3]
        select (IoasOp)new RangesOp(slot, capacity);

    public static readonly Gen<IoasOp> Lifecycle = Gen.Frequency(
        (1, Gen.Int[0, ModelWorld.SlotCount].Select(s => (IoasOp)new DestroyOp(s))),
        (2, Gen.Int[0, ModelWorld.SlotCount - 1].Select(s => (IoasOp)new AllocOp(s))));

    public static readonly Gen<IoasOp> Operation = Gen.Frequency(
        (8, MapFixed),
        (8, MapAuto),
        (7, Unmap),
        (1, UnmapAll),
        (5, Copy),
        (2, Reserve),
        (2, Allow),
        (1, Ranges),
        (1, Lifecycle));

    public static readonly Gen<IoasOp[]> Operations = Operation.Array[1, 40];
}
