namespace IommuContracts.Engine.Tests.Properties;

/// <summary>One mapped range of the model: [Iova, Last] backed by user memory starting at UserVa.</summary>
internal sealed record ModelArea(ulong Iova, ulong Last, ulong UserVa, bool Readable, bool Writable, bool PagesWritable)
{
    public ulong Length => Last - Iova + 1;

    public override string ToString()
        => $"[{IoasReferenceModel.Hex(Iova)}, {IoasReferenceModel.Hex(Last)}] va {IoasReferenceModel.Hex(UserVa)}{(Readable ? " R" : "")}{(Writable ? " W" : "")}{(PagesWritable ? "" : " ro-pages")}";
}

/// <summary>A slice of source memory being mapped: the user VA of its first byte, its length, and whether the pages may be written.</summary>
internal readonly record struct ModelSpan(ulong UserVa, ulong Length, bool PagesWritable);

/// <summary>
/// A deliberately simple reference model of one IOAS with no domains and no accesses (IOVA alignment 1),
/// written from the kernel's io_pagetable.c / ioas.c (spec §3.1–§3.8) with plain lists and linear scans:
/// areas, reserved ranges (owner NULL, may overlap each other) and allowed ranges.
/// </summary>
internal sealed class IoasReferenceModel
{
    public const ulong PageSize = 4096;
    public const ulong MaxAutoAlignment = 2UL << 20;
    private const ulong Max = ulong.MaxValue;

    public List<ModelArea> Areas { get; } = new();

    public List<(ulong Start, ulong Last)> Reserved { get; } = new();

    public List<(ulong Start, ulong Last)> Allowed { get; } = new();

    public static string Hex(ulong value) => $"0x{value:X}";

    public IoasReferenceModel Clone()
    {
        var copy = new IoasReferenceModel();
        copy.Areas.AddRange(Areas);
        copy.Reserved.AddRange(Reserved);
        copy.Allowed.AddRange(Allowed);
        return copy;
    }

    public static bool Intersects(ulong start, ulong last, ulong otherStart, ulong otherLast) => start <= otherLast && otherStart <= last;

    /// <summary>start + length - 1 without wrapping (length ≥ 1).</summary>
    public static bool TryLast(ulong start, ulong length, out ulong last)
    {
        last = 0;
        if (length == 0 || start > Max - (length - 1))
        {
            return false;
        }

        last = start + (length - 1);
        return true;
    }

    // ---------------------------------------------------------------- MAP / COPY destination half

    /// <summary>iopt_map_pages with alignment 1: length check, IOVA (auto or fixed), area insertion. Atomic.</summary>
    public Errno MapSpans(IReadOnlyList<ModelSpan> spans, ulong length, ref ulong iova, bool readable, bool writable, bool allocate, ulong hint)
    {
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        ulong chosen;
        if (allocate)
        {
            var allocated = AllocateIova(hint, length, out chosen);
            if (allocated != Errno.None)
            {
                return allocated;
            }
        }
        else
        {
            var checkedIova = CheckIova(iova, length);
            if (checkedIova != Errno.None)
            {
                return checkedIova;
            }

            chosen = iova;
        }

        // iopt_insert_area, span by span; any failure aborts every area inserted so far.
        if (writable && spans.Any(s => !s.PagesWritable))
        {
            return Errno.EPERM;
        }

        var cursor = chosen;
        foreach (var span in spans)
        {
            Areas.Add(new ModelArea(cursor, cursor + span.Length - 1, span.UserVa, readable, writable, span.PagesWritable));
            cursor += span.Length;
        }

        Areas.Sort((a, b) => a.Iova.CompareTo(b.Iova));
        iova = chosen;
        return Errno.None;
    }

    /// <summary>iopt_check_iova: overflow, reserved (EINVAL), existing area (EEXIST).</summary>
    public Errno CheckIova(ulong iova, ulong length)
    {
        if (!TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        if (Reserved.Any(r => Intersects(iova, last, r.Start, r.Last)))
        {
            return Errno.EINVAL;
        }

        return Areas.Any(a => Intersects(iova, last, a.Iova, a.Last)) ? Errno.EEXIST : Errno.None;
    }

    /// <summary>
    /// iopt_alloc_iova, literally: the alignment from the length and the source address (capped at HPAGE_SIZE),
    /// the source's page offset OR-ed in; walk the used spans of the allowed tree inside [PAGE_SIZE,
    /// ULONG_MAX - PAGE_SIZE] (adjacent allowed ranges form one span), move the span start to its aligned
    /// candidate, then walk the holes of reserved ∪ areas from there; the first hole whose aligned candidate
    /// fits wins.
    /// </summary>
    public Errno AllocateIova(ulong address, ulong length, out ulong iova)
    {
        iova = 0;
        if (length == 0 || length >= Max / 2)
        {
            return Errno.EOVERFLOW;
        }

        var pageOffset = address % PageSize;
        var alignment = RoundUpPowerOfTwo(length);
        if (address != 0)
        {
            alignment = Math.Min(alignment, address & (~address + 1));
        }

        if (alignment >= MaxAutoAlignment)
        {
            alignment = MaxAutoAlignment;
        }

        const ulong windowStart = PageSize;
        const ulong windowLast = Max - PageSize;
        var spans = Allowed.Count == 0 ? new List<(ulong, ulong)> { (windowStart, windowLast) } : UsedSpans(Allowed, windowStart, windowLast);
        foreach (var (spanStart, spanLast) in spans)
        {
            var start = spanStart;
            if (!CheckRange(ref start, spanLast, length, alignment, pageOffset))
            {
                continue;
            }

            var used = Reserved.Concat(Areas.Select(a => (a.Iova, a.Last))).ToList();
            foreach (var (holeStart, holeLast) in Holes(used, start, spanLast))
            {
                var candidate = holeStart;
                if (CheckRange(ref candidate, holeLast, length, alignment, pageOffset))
                {
                    iova = candidate;
                    return Errno.None;
                }
            }
        }

        return Errno.ENOSPC;
    }

    /// <summary>__alloc_iova_check_range.</summary>
    public static bool CheckRange(ref ulong start, ulong last, ulong length, ulong alignment, ulong pageOffset)
    {
        if (start > Max - (alignment - 1))
        {
            return false;
        }

        var aligned = (start + (alignment - 1)) & ~(alignment - 1);
        aligned |= pageOffset;
        if (aligned >= last || last - aligned < length - 1)
        {
            return false;
        }

        start = aligned;
        return true;
    }

    // ---------------------------------------------------------------- UNMAP

    /// <summary>
    /// iopt_unmap_iova_range: removes areas in ascending order while they are fully inside [start, last];
    /// the first one that is not stops it with ENOENT, leaving the earlier ones removed. Nothing removed is
    /// ENOENT too.
    /// </summary>
    public Errno UnmapRange(ulong start, ulong last, out ulong unmapped)
    {
        unmapped = 0;
        while (true)
        {
            var area = Areas.Where(a => Intersects(start, last, a.Iova, a.Last)).OrderBy(a => a.Iova).FirstOrDefault();
            if (area is null)
            {
                break;
            }

            if (area.Iova < start || area.Last > last)
            {
                return Errno.ENOENT;
            }

            Areas.Remove(area);
            unmapped += area.Length;
        }

        return unmapped == 0 ? Errno.ENOENT : Errno.None;
    }

    public ulong UnmapAll()
    {
        var total = Areas.Aggregate(0UL, (sum, a) => sum + a.Length);
        Areas.Clear();
        return total;
    }

    // ---------------------------------------------------------------- COPY source half

    /// <summary>iopt_get_pages: [iova, iova + length) must be covered by contiguous areas; one span per area touched.</summary>
    public Errno GetPages(ulong iova, ulong length, List<ModelSpan> spans)
    {
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        if (!TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        var cursor = iova;
        while (true)
        {
            var area = Areas.FirstOrDefault(a => a.Iova <= cursor && cursor <= a.Last);
            if (area is null)
            {
                spans.Clear();
                return Errno.ENOENT;
            }

            var end = Math.Min(last, area.Last);
            spans.Add(new ModelSpan(unchecked(area.UserVa + (cursor - area.Iova)), end - cursor + 1, area.PagesWritable));
            if (end == last)
            {
                return Errno.None;
            }

            cursor = end + 1;
        }
    }

    // ---------------------------------------------------------------- reserved / allowed / ranges

    /// <summary>iopt_reserve_iova (owner NULL): EADDRINUSE if an area or an allowed range intersects.</summary>
    public Errno Reserve(ulong start, ulong last)
    {
        if (Areas.Any(a => Intersects(start, last, a.Iova, a.Last)) || Allowed.Any(r => Intersects(start, last, r.Start, r.Last)))
        {
            return Errno.EADDRINUSE;
        }

        Reserved.Add((start, last));
        return Errno.None;
    }

    /// <summary>iommufd_ioas_load_iovas + iopt_set_allow_iova; <paramref name="ranges"/> null means the array is unreadable.</summary>
    public Errno SetAllowed(IReadOnlyList<(ulong Start, ulong Last)>? ranges, uint count)
    {
        if (count == 0)
        {
            Allowed.Clear();
            return Errno.None;
        }

        if (ranges is null)
        {
            return Errno.EFAULT;
        }

        var loaded = new List<(ulong Start, ulong Last)>();
        foreach (var range in ranges)
        {
            if (range.Start >= range.Last || loaded.Any(r => Intersects(r.Start, r.Last, range.Start, range.Last)))
            {
                return Errno.EINVAL;
            }

            loaded.Add(range);
        }

        if (loaded.Any(a => Reserved.Any(r => Intersects(a.Start, a.Last, r.Start, r.Last))))
        {
            return Errno.EADDRINUSE;
        }

        Allowed.Clear();
        Allowed.AddRange(loaded);
        return Errno.None;
    }

    /// <summary>What IOMMU_IOAS_IOVA_RANGES reports: the holes of the reserved ranges over [0, ULONG_MAX].</summary>
    public List<(ulong Start, ulong Last)> UsableRanges() => Holes(Reserved, 0, Max);

    // ---------------------------------------------------------------- interval helpers

    /// <summary>The maximal runs of [from, to] covered by none of <paramref name="used"/>.</summary>
    public static List<(ulong Start, ulong Last)> Holes(IEnumerable<(ulong Start, ulong Last)> used, ulong from, ulong to)
    {
        var holes = new List<(ulong, ulong)>();
        var cursor = from;
        foreach (var (start, last) in UsedSpans(used, from, to))
        {
            if (start > cursor)
            {
                holes.Add((cursor, start - 1));
            }

            if (last == to)
            {
                return holes;
            }

            cursor = last + 1;
        }

        holes.Add((cursor, to));
        return holes;
    }

    /// <summary>interval_tree_span_iter's used spans: the union of the ranges clipped to [from, to], touching ranges merged.</summary>
    public static List<(ulong Start, ulong Last)> UsedSpans(IEnumerable<(ulong Start, ulong Last)> ranges, ulong from, ulong to)
    {
        var spans = new List<(ulong Start, ulong Last)>();
        foreach (var (start, last) in ranges.Where(r => r.Start <= to && r.Last >= from).OrderBy(r => r.Start))
        {
            var s = Math.Max(start, from);
            var l = Math.Min(last, to);
            if (spans.Count > 0 && (spans[^1].Last == Max || s <= spans[^1].Last + 1))
            {
                spans[^1] = (spans[^1].Start, Math.Max(spans[^1].Last, l));
            }
            else
            {
                spans.Add((s, l));
            }
        }

        return spans;
    }

    public static ulong RoundUpPowerOfTwo(ulong value)
    {
        var power = 1UL;
        while (power < value)
        {
            power <<= 1;
        }

        return power;
    }
}
