namespace IommuContracts.Engine.IoPageTable;

// UNMAP: whole areas only, asking accesses to drop their pins first.
internal sealed partial class IoPageTable
{
    /// <summary>How many times an unmap asks accesses to unpin before it gives up with EDEADLOCK.</summary>
    public const int AccessUnmapRetries = 100;

    /// <summary>
    /// iopt_unmap_iova_range: removes every area inside [start, last]. An area straddling either end is
    /// ENOENT, but areas already removed stay removed (the kernel is not atomic here). Reports the bytes
    /// unmapped so far in every case.
    /// </summary>
    public Errno UnmapRange(ulong start, ulong last, out ulong unmapped)
    {
        unmapped = 0;
        var tries = 0;
        while (true)
        {
            Area? notify = null;
            lock (Lock)
            {
                Area? area;
                while ((area = _areas.FirstIntersecting(start, last)?.Value) is not null)
                {
                    if (area.Pages is null || area.Locks > 0)
                    {
                        return Errno.EBUSY;
                    }

                    if (area.Iova < start || area.Last > last)
                    {
                        return Errno.ENOENT;
                    }

                    if (area.Iova != start)
                    {
                        tries = 0;
                    }

                    if (area.AccessPins > 0)
                    {
                        start = area.Iova;
                        area.PreventAccess = true;
                        notify = area;
                        break;
                    }

                    RemoveArea(area);
                    unmapped += area.Length;
                }

                if (notify is null)
                {
                    return Errno.None;
                }
            }

            // The callbacks run without the lock, as ops->unmap may take its own locks and unpin.
            foreach (var access in AccessesSnapshot())
            {
                access.NotifyUnmap(notify.Iova, notify.Length);
            }

            if (++tries > AccessUnmapRetries)
            {
                Kernel.Log.Warn($"iopt_unmap_iova_range: accesses did not unpin {notify} after {AccessUnmapRetries} requests");
                return Errno.EDEADLOCK;
            }
        }
    }

    /// <summary>Unmaps everything (IOAS_UNMAP of 0..U64_MAX, and IOAS destroy).</summary>
    public Errno UnmapAll(out ulong unmapped) => UnmapRange(0, ulong.MaxValue, out unmapped);

    // Takes a published area out of every domain and the tree, and drops its pages reference.
    private void RemoveArea(Area area)
    {
        var pages = area.Pages!;
        area.Pages = null;
        foreach (var domain in _domains)
        {
            UnfillDomain(area, pages, domain);
        }

        _areas.Remove(area.Node!);
        area.Node = null;
        pages.Put();
    }
}
