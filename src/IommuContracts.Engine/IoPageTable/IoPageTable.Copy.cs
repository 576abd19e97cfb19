using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.IoPageTable;

// The source half of COPY.
internal sealed partial class IoPageTable
{
    /// <summary>
    /// iopt_get_pages: the pages behind [iova, iova + length), which must be covered by contiguous published
    /// areas (it may start and end inside areas). Each span holds a reference on its pages object.
    /// </summary>
    public Errno GetPages(ulong iova, ulong length, List<PagesSpan> spans)
    {
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        if (!Overflow.TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        lock (Lock)
        {
            var cursor = iova;
            while (true)
            {
                var area = _areas.FirstIntersecting(cursor, cursor)?.Value;
                if (area?.Pages is null || area.Iova > cursor)
                {
                    ReleaseSpans(spans);
                    return Errno.ENOENT;
                }

                var allocation = Fault(FaultPoint.Allocation);
                if (allocation != Errno.None)
                {
                    ReleaseSpans(spans);
                    return allocation;
                }

                var end = Math.Min(last, area.Last);
                area.Pages.Get();
                spans.Add(new PagesSpan(area.Pages, area.StartByteOf(cursor), end - cursor + 1));
                if (end == last)
                {
                    return Errno.None;
                }

                cursor = end + 1;
            }
        }
    }

    /// <summary>Whether [iova, last] is covered by contiguous published areas (the caller holds <see cref="Lock"/>).</summary>
    public bool IsContiguouslyMapped(ulong iova, ulong last)
    {
        var cursor = iova;
        while (true)
        {
            var area = _areas.FirstIntersecting(cursor, cursor)?.Value;
            if (area?.Pages is null || area.Iova > cursor)
            {
                return false;
            }

            if (area.Last >= last)
            {
                return true;
            }

            cursor = area.Last + 1;
        }
    }

    public static void ReleaseSpans(List<PagesSpan> spans)
    {
        foreach (var span in spans)
        {
            span.Pages.Put();
        }

        spans.Clear();
    }
}
