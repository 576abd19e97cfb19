using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

// What in-kernel accesses do to the areas: pin, unpin and CPU copies.
internal sealed partial class IoPageTable
{
    /// <summary>
    /// iopt_area_add_access over the contiguous areas covering [iova, last]: EINVAL for an area being
    /// unmapped or a page boundary that is not PAGE_SIZE aligned between areas, EPERM for a missing
    /// permission, ENOENT for a hole, pin errors. All or nothing; fills <paramref name="pages"/>.
    /// </summary>
    public Errno AccessPin(ulong iova, ulong last, bool write, List<UserPage> pages, bool lockAreas = false)
    {
        lock (Lock)
        {
            var done = new List<(Area Area, ulong First, ulong Last)>();
            var cursor = iova;
            while (true)
            {
                var area = PublishedAreaAt(cursor);
                Errno failure;
                if (area is null)
                {
                    failure = Errno.ENOENT;
                }
                else
                {
                    var end = Math.Min(last, area.Last);
                    failure = PinInArea(area, cursor, end, last, write, pages, done);
                    if (failure == Errno.None)
                    {
                        // An internal access (a HW queue) locks the area against unmap while it holds pins.
                        if (lockAreas)
                        {
                            area.Locks++;
                        }

                        if (end == last)
                        {
                            return Errno.None;
                        }

                        cursor = end + 1;
                        continue;
                    }
                }

                foreach (var (pinned, first, lastIndex) in done)
                {
                    pinned.Pages!.Unpin(first, lastIndex);
                    pinned.AccessPins--;
                    if (lockAreas)
                    {
                        pinned.Locks--;
                    }
                }

                pages.Clear();
                return failure;
            }
        }
    }

    /// <summary>iopt_area_remove_access over [iova, last]; false if the range is not covered by areas.</summary>
    public bool AccessUnpin(ulong iova, ulong last, bool unlockAreas = false)
    {
        lock (Lock)
        {
            var cursor = iova;
            while (true)
            {
                if (PublishedAreaAt(cursor) is not { } area)
                {
                    return false;
                }

                var end = Math.Min(last, area.Last);
                area.Pages!.Unpin(area.StartByteOf(cursor) / PageSize, area.StartByteOf(end) / PageSize);
                area.AccessPins--;
                if (unlockAreas)
                {
                    area.Locks--;
                }

                if (area.AccessPins == 0)
                {
                    area.PreventAccess = false;
                }

                if (end == last)
                {
                    return true;
                }

                cursor = end + 1;
            }
        }
    }

    /// <summary>iopt_pages_rw_access over the contiguous areas: copies between <paramref name="data"/> and the mapped memory.</summary>
    public Errno AccessReadWrite(ulong iova, ulong last, Span<byte> data, bool write)
    {
        lock (Lock)
        {
            var cursor = iova;
            var offset = 0;
            while (true)
            {
                if (PublishedAreaAt(cursor) is not { Pages: { } pages } area)
                {
                    return Errno.ENOENT;
                }

                if (area.PreventAccess)
                {
                    return Errno.EINVAL;
                }

                if (!Permits(area, write))
                {
                    return Errno.EPERM;
                }

                // iopt_pages_rw_access: dma-buf memory is not for CPU access.
                if (pages.Source is DmabufSource)
                {
                    return Errno.EINVAL;
                }

                var end = Math.Min(last, area.Last);
                var count = (int)(end - cursor + 1);
                var copied = CopyThroughPages(pages, area.StartByteOf(cursor), data.Slice(offset, count), write);
                if (copied != Errno.None)
                {
                    return copied;
                }

                offset += count;
                if (end == last)
                {
                    return Errno.None;
                }

                cursor = end + 1;
            }
        }
    }

    // The published area that holds the byte at iova, or null for a hole or an area still being built.
    private Area? PublishedAreaAt(ulong iova)
        => _areas.FirstIntersecting(iova, iova)?.Value is { Pages: not null } area ? area : null;

    private static Errno PinInArea(Area area, ulong from, ulong to, ulong last, bool write, List<UserPage> pages, List<(Area, ulong, ulong)> done)
    {
        // iopt_area_contig_is_aligned: pages are handed out whole, so every area, the first included, must start
        // at a page boundary of its memory, and every area but the last must end at one.
        var startsInside = area.StartByteOf(from) % PageSize != 0;
        var endsInside = (area.StartByteOf(to) + 1) % PageSize != 0;
        if (area.PreventAccess || startsInside || (to != last && endsInside))
        {
            return Errno.EINVAL;
        }

        if (!Permits(area, write))
        {
            return Errno.EPERM;
        }

        // iopt_area_add_access: dma-buf pages cannot be handed to accesses.
        if (area.Pages!.Source is DmabufSource)
        {
            return Errno.EINVAL;
        }

        var firstIndex = area.StartByteOf(from) / PageSize;
        var lastIndex = area.StartByteOf(to) / PageSize;
        var pinned = area.Pages!.Pin(firstIndex, lastIndex, write);
        if (pinned != Errno.None)
        {
            return pinned;
        }

        area.AccessPins++;
        done.Add((area, firstIndex, lastIndex));
        for (var index = firstIndex; index <= lastIndex; index++)
        {
            pages.Add(area.Pages.PinnedPage(index));
        }

        return Errno.None;
    }

    // check_area_prot: writing needs WRITE, reading needs READ.
    private static bool Permits(Area area, bool write) => write ? (area.Prot & IommuProt.Write) != 0 : (area.Prot & IommuProt.Read) != 0;

    // Pinned pages are used directly (the mapping may be gone from the process); others go through the source.
    private static Errno CopyThroughPages(IoPages pages, ulong startByte, Span<byte> data, bool write)
    {
        var done = 0;
        while (done < data.Length)
        {
            var byteIndex = startByte + (ulong)done;
            var pageIndex = byteIndex / PageSize;
            var inPage = (int)(byteIndex % PageSize);
            var count = Math.Min((int)PageSize - inPage, data.Length - done);
            var chunk = data.Slice(done, count);
            var result = Errno.None;
            if (!pages.TryCopyPinned(pageIndex, inPage, chunk, write))
            {
                result = pages.Source.Copy(byteIndex, chunk, write);
            }

            if (result != Errno.None)
            {
                return Errno.EFAULT;
            }

            done += count;
        }

        return Errno.None;
    }
}
