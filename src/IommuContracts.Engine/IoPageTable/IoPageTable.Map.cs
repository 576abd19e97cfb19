using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

// MAP and the area-building half of COPY: IOVA selection and checks, area insertion, domain fill.
internal sealed partial class IoPageTable
{
    /// <summary>iopt_map_user_pages: maps [uptr, uptr + length) at a fixed or automatically chosen IOVA. Atomic.</summary>
    public Errno MapUserPages(SimulatedProcess process, ref ulong iova, ulong uptr, ulong length, IommuProt prot, bool allocateIova, AccountMode contextMode)
    {
        var limits = CheckUserRange(process.Kernel.Profile, uptr, length);
        if (limits != Errno.None)
        {
            return limits;
        }

        var allocation = Fault(FaultPoint.Allocation);
        if (allocation != Errno.None)
        {
            return allocation;
        }

        var pages = new IoPages(process, uptr, length, (prot & IommuProt.Write) != 0, AccountModeFor(process, contextMode));
        var spans = new List<PagesSpan> { new(pages, uptr - pages.UserVa, length) };
        var result = MapPages(spans, length, ref iova, prot, allocateIova, uptr);
        if (result != Errno.None)
        {
            pages.Put();
        }

        return result;
    }

    /// <summary>
    /// iopt_map_file_pages after the file lookup: maps bytes [start, start + length) of <paramref name="file"/>,
    /// charged to <paramref name="process"/>. The caller has refused a zero length and an overflowing range.
    /// Atomic, as MapUserPages; the new area holds a reference on the file.
    /// </summary>
    public Errno MapFilePages(SimulatedProcess process, OpenFile file, ulong start, ulong length, ref ulong iova, IommuProt prot, bool allocateIova, AccountMode contextMode)
    {
        // iopt_alloc_pages' length limit.
        if (length > ulong.MaxValue - PageSize)
        {
            return Errno.EINVAL;
        }

        // Before dma-buf support a dma-buf is just another file that memfd_pin_folios refuses (FileSource's EINVAL).
        if (file is DmaBufFile buffer && Kernel.Profile.Supports(Profiles.KernelFeatures.IoasMapFileDmabuf))
        {
            return MapDmabufPages(process, buffer, start, length, ref iova, prot, allocateIova);
        }

        var allocation = Fault(FaultPoint.Allocation);
        if (allocation != Errno.None)
        {
            return allocation;
        }

        var startByte = start % PageSize;
        var source = new FileSource(file, start - startByte);
        var pages = new IoPages(process, source, startByte, length, (prot & IommuProt.Write) != 0, AccountModeFor(process, contextMode));
        var spans = new List<PagesSpan> { new(pages, startByte, length) };

        // The file offset is the alignment hint, as the user address is for IOAS_MAP.
        var result = MapPages(spans, length, ref iova, prot, allocateIova, start);
        if (result != Errno.None)
        {
            pages.Put();
        }

        return result;
    }

    /// <summary>
    /// iopt_alloc_dmabuf_pages + iopt_map_common: EINVAL for a range past the buffer's end, the exporter's errno
    /// (ENODEV while revoked); never charged.
    /// </summary>
    private Errno MapDmabufPages(SimulatedProcess process, DmaBufFile buffer, ulong start, ulong length, ref ulong iova, IommuProt prot, bool allocateIova)
    {
        if (buffer.Size <= start + length - 1)
        {
            return Errno.EINVAL;
        }

        var allocation = Fault(FaultPoint.Allocation);
        if (allocation != Errno.None)
        {
            return allocation;
        }

        var startByte = start % PageSize;
        var attached = DmabufSource.Attach(buffer, start - startByte, Kernel.Faults, out var source);
        if (attached != Errno.None)
        {
            return attached;
        }

        var pages = new IoPages(process, source!, startByte, length, (prot & IommuProt.Write) != 0, AccountMode.None);
        var spans = new List<PagesSpan> { new(pages, startByte, length) };
        var result = MapPages(spans, length, ref iova, prot, allocateIova, start);
        if (result != Errno.None)
        {
            pages.Put();
        }

        return result;
    }

    // iopt_alloc_pages + iopt_map_common: CAP_IPC_LOCK holders are not charged; the context's MM mode wins over USER.
    private static AccountMode AccountModeFor(SimulatedProcess process, AccountMode contextMode)
    {
        var mode = process.Has(Capabilities.IpcLock) ? AccountMode.None : AccountMode.User;
        return contextMode == AccountMode.Mm && mode == AccountMode.User ? AccountMode.Mm : mode;
    }

    /// <summary>
    /// iopt_map_pages: reserves the IOVA with unpublished areas, fills every domain, then publishes. On
    /// failure nothing stays: no area, no reserved IOVA, no pin. The spans' page references move into the
    /// areas on success.
    /// </summary>
    public Errno MapPages(List<PagesSpan> spans, ulong length, ref ulong iova, IommuProt prot, bool allocateIova, ulong alignmentHint)
    {
        foreach (var span in spans)
        {
            var allocation = Fault(FaultPoint.Allocation);
            if (allocation != Errno.None)
            {
                return allocation;
            }
        }

        lock (Lock)
        {
            var result = AllocateAreas(spans, length, ref iova, prot, allocateIova, alignmentHint);
            if (result == Errno.None)
            {
                result = FillDomains(spans);
            }

            if (result != Errno.None)
            {
                foreach (var span in spans)
                {
                    AbortArea(span);
                }

                return result;
            }

            foreach (var span in spans)
            {
                span.Area!.Pages = span.Area.PendingPages;
                span.Area.PendingPages = null;
            }

            return Errno.None;
        }
    }

    private Errno AllocateAreas(List<PagesSpan> spans, ulong length, ref ulong iova, IommuProt prot, bool allocateIova, ulong alignmentHint)
    {
        if (length == 0 || (length & (IovaAlignment - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        var result = allocateIova ? AllocateIova(out iova, alignmentHint, length) : CheckIova(iova, length);
        if (result != Errno.None)
        {
            return result;
        }

        var cursor = iova;
        foreach (var span in spans)
        {
            result = InsertArea(span, cursor, prot);
            if (result != Errno.None)
            {
                return result;
            }

            cursor += span.Length;
        }

        return Errno.None;
    }

    // iopt_alloc_user_pages: uptr + length must not wrap (ending exactly at 2^64 wraps: EOVERFLOW), and the length
    // limits of iopt_alloc_pages (EINVAL). Since 6.13 the wrap is tested first; 6.12's iopt_alloc_pages tested
    // the length first, so a huge length that also wraps is EINVAL there.
    private static Errno CheckUserRange(Profiles.KernelProfile profile, ulong uptr, ulong length)
    {
        var wraps = !Overflow.TryAdd(uptr, length, out _);
        var badLength = length == 0 || length > ulong.MaxValue - PageSize;
        if (badLength && !profile.Supports(Profiles.KernelFeatures.UserPagesWrapCheckedFirst))
        {
            return Errno.EINVAL;
        }

        return wraps ? Errno.EOVERFLOW : badLength ? Errno.EINVAL : Errno.None;
    }

    /// <summary>iopt_check_iova: alignment (EINVAL), overflow (EOVERFLOW), reserved (EINVAL), existing areas (EEXIST).</summary>
    private Errno CheckIova(ulong iova, ulong length)
    {
        if ((iova & (IovaAlignment - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        if (!Overflow.TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        if (_reserved.FirstIntersecting(iova, last) is not null)
        {
            return Errno.EINVAL;
        }

        return _areas.FirstIntersecting(iova, last) is not null ? Errno.EEXIST : Errno.None;
    }

    /// <summary>
    /// iopt_alloc_iova: first fit from low addresses inside the allowed ranges (or [PAGE_SIZE, ULONG_MAX −
    /// PAGE_SIZE]), avoiding reserved ranges and areas, aligned to the lowest set bit of the user address
    /// (capped at 2 MiB) and keeping the address's offset within its page.
    /// </summary>
    private Errno AllocateIova(out ulong iova, ulong address, ulong length)
    {
        iova = 0;
        if (length == 0 || length >= ulong.MaxValue / 2)
        {
            return Errno.EOVERFLOW;
        }

        var pageOffset = address % PageSize;
        var alignment = Overflow.RoundUpPowerOfTwo(length);
        if (address != 0)
        {
            alignment = Math.Min(alignment, Overflow.LowestSetBit(address));
        }

        alignment = Math.Min(alignment, Kernel.TransparentHugePages ? MaxAutoAlignment : Host.SimulatedProcess.PageSize);
        if (alignment < IovaAlignment)
        {
            return Errno.EINVAL;
        }

        const ulong windowStart = PageSize;
        const ulong windowLast = ulong.MaxValue - PageSize;
        var allowed = _allowed.IsEmpty
            ? new List<(ulong Start, ulong Last)> { (windowStart, windowLast) }
            : AllowedSpans(windowStart, windowLast);

        foreach (var (spanStart, spanLast) in allowed)
        {
            // The hole search starts from the aligned candidate, not from the span's own start.
            var start = spanStart;
            if (!FitsAligned(ref start, spanLast, length, alignment, pageOffset))
            {
                continue;
            }

            if (FirstFreeFit(start, spanLast, length, alignment, pageOffset, out iova))
            {
                return Errno.None;
            }
        }

        return Errno.ENOSPC;
    }

    // interval_tree_for_each_span over the allowed ranges: ranges that overlap or touch form one span,
    // clipped to [from, to]. Intersecting already yields them in ascending start order.
    private List<(ulong Start, ulong Last)> AllowedSpans(ulong from, ulong to)
    {
        var spans = new List<(ulong Start, ulong Last)>();
        foreach (var node in _allowed.Intersecting(from, to))
        {
            var start = Math.Max(node.Start, from);
            var last = Math.Min(node.Last, to);
            if (spans.Count > 0 && (spans[^1].Last == ulong.MaxValue || start <= spans[^1].Last + 1))
            {
                spans[^1] = (spans[^1].Start, Math.Max(spans[^1].Last, last));
                continue;
            }

            spans.Add((start, last));
        }

        return spans;
    }

    // The first hole of [from, to] not covered by areas or reserved ranges where an aligned placement fits.
    private bool FirstFreeFit(ulong from, ulong to, ulong length, ulong alignment, ulong pageOffset, out ulong iova)
    {
        iova = 0;
        var cursor = from;
        while (cursor <= to && _areas.FirstGap(cursor, to, length, out var gapStart, out var gapLast))
        {
            foreach (var (holeStart, holeLast) in _reserved.Holes(gapStart, gapLast))
            {
                var start = holeStart;
                if (holeLast - holeStart + 1 >= length && FitsAligned(ref start, holeLast, length, alignment, pageOffset))
                {
                    iova = start;
                    return true;
                }
            }

            if (gapLast == ulong.MaxValue)
            {
                break;
            }

            cursor = gapLast + 1;
        }

        return false;
    }

    // __alloc_iova_check_range: align up, OR in the page offset, and check the placement still fits.
    private static bool FitsAligned(ref ulong start, ulong last, ulong length, ulong alignment, ulong pageOffset)
    {
        if (!Overflow.TryAdd(start, alignment - 1, out var aligned))
        {
            return false;
        }

        aligned &= ~(alignment - 1);
        aligned |= pageOffset;
        if (aligned >= last || last - aligned < length - 1)
        {
            return false;
        }

        start = aligned;
        return true;
    }

    // iopt_insert_area: the area goes in with no pages, reserving its IOVA until it is filled and published.
    private Errno InsertArea(PagesSpan span, ulong iova, IommuProt prot)
    {
        if ((prot & IommuProt.Write) != 0 && !span.Pages.Writable)
        {
            return Errno.EPERM;
        }

        if ((span.StartByte % PageSize & (IovaAlignment - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        if (!Overflow.TryLast(iova, span.Length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        var inserted = Fault(FaultPoint.IntervalInsert);
        if (inserted != Errno.None)
        {
            return inserted;
        }

        var area = new Area(iova, last, span.StartByte, prot) { PendingPages = span.Pages };
        area.Node = _areas.Insert(iova, last, area);
        span.Area = area;
        return Errno.None;
    }

    // Undoes a half-built area: out of every domain it reached, out of the tree.
    private void AbortArea(PagesSpan span)
    {
        if (span.Area is not { } area)
        {
            return;
        }

        if (area.Node is not null)
        {
            _areas.Remove(area.Node);
            area.Node = null;
        }

        span.Area = null;
    }

    private Errno FillDomains(List<PagesSpan> spans)
    {
        var filled = new List<(Area Area, IIoptDomain Domain)>();
        foreach (var span in spans)
        {
            foreach (var domain in _domains)
            {
                var result = FillDomain(span.Area!, span.Pages, domain);
                if (result != Errno.None)
                {
                    foreach (var (area, done) in filled)
                    {
                        UnfillDomain(area, area.PendingPages!, done);
                    }

                    return result;
                }

                filled.Add((span.Area!, domain));
            }
        }

        return Errno.None;
    }
}
