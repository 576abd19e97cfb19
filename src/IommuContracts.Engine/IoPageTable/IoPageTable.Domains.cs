using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.IoPageTable;

// Attaching domains: aperture holes become reserved, every area is mapped in, the alignment follows.
internal sealed partial class IoPageTable
{
    /// <summary>
    /// iopt_table_add_domain: EINVAL if the domain's smallest page exceeds PAGE_SIZE, EADDRINUSE if raising the
    /// alignment or reserving the aperture holes collides with areas or allowed ranges, pin errors while
    /// mapping existing areas. All or nothing.
    /// </summary>
    public Errno AddDomain(IIoptDomain domain)
    {
        lock (Lock)
        {
            if (_domains.Contains(domain))
            {
                Kernel.Log.Warn("iopt_table_add_domain: domain added twice");
                return Errno.EEXIST;
            }

            var alignment = Math.Max(domain.MinPageSize, IovaAlignment);
            if (alignment > PageSize)
            {
                return Errno.EINVAL;
            }

            if (alignment != IovaAlignment)
            {
                var aligned = CheckAreasAligned(alignment);
                if (aligned != Errno.None)
                {
                    return aligned;
                }
            }

            var result = Errno.None;
            if (domain.ApertureStart != 0)
            {
                result = ReserveLocked(0, domain.ApertureStart - 1, domain);
            }

            if (result == Errno.None && domain.ApertureLast != ulong.MaxValue)
            {
                result = ReserveLocked(domain.ApertureLast + 1, ulong.MaxValue, domain);
            }

            if (result == Errno.None)
            {
                result = Fault(FaultPoint.Allocation);
            }

            if (result == Errno.None)
            {
                result = FillNewDomain(domain);
            }

            if (result != Errno.None)
            {
                RemoveReservedLocked(domain);
                return result;
            }

            IovaAlignment = alignment;
            _domains.Add(domain);
            return Errno.None;
        }
    }

    /// <summary>iopt_table_remove_domain: unmaps and unpins exactly what the domain mapped and frees its aperture holes.</summary>
    public void RemoveDomain(IIoptDomain domain)
    {
        lock (Lock)
        {
            if (!_domains.Remove(domain))
            {
                Kernel.Log.Warn("iopt_table_remove_domain: domain not in the table");
                return;
            }

            foreach (var node in _areas.All())
            {
                if (node.Value.Pages is { } pages)
                {
                    UnfillDomain(node.Value, pages, domain);
                }
            }

            RemoveReservedLocked(domain);
            if (RecalculateAlignment() != Errno.None)
            {
                Kernel.Log.Warn("iopt_table_remove_domain: alignment could not be recalculated");
            }
        }
    }

    private Errno FillNewDomain(IIoptDomain domain)
    {
        var filled = new List<Area>();
        foreach (var node in _areas.All())
        {
            var area = node.Value;
            if (area.Pages is not { } pages)
            {
                continue;
            }

            var result = FillDomain(area, pages, domain);
            if (result != Errno.None)
            {
                foreach (var done in filled)
                {
                    UnfillDomain(done, done.Pages!, domain);
                }

                return result;
            }

            filled.Add(area);
        }

        return Errno.None;
    }

    // Pins the area's pages for this domain and maps them as physically contiguous runs.
    private Errno FillDomain(Area area, IoPages pages, IIoptDomain domain)
    {
        if (pages.Source is DmabufSource dmabuf)
        {
            return dmabuf.Fill(area, domain, Fault);
        }

        var pinned = pages.Pin(area.FirstPageIndex, area.LastPageIndex, (area.Prot & IommuProt.Write) != 0);
        if (pinned != Errno.None)
        {
            return pinned;
        }

        ulong mapped = 0;
        while (mapped < area.Length)
        {
            var startByte = area.PagesStartByte + mapped;
            var physical = pages.PinnedPage(startByte / PageSize).PhysicalAddress + (startByte % PageSize);
            var run = Math.Min(PageSize - (startByte % PageSize), area.Length - mapped);

            // With large pages disabled every page is its own map call (batch_iommu_map_small), so that
            // TYPE1 can later split areas between any two pages.
            while (!LargePagesDisabled && mapped + run < area.Length)
            {
                var nextByte = startByte + run;
                var next = pages.PinnedPage(nextByte / PageSize).PhysicalAddress;
                if (next != physical + run)
                {
                    break;
                }

                run += Math.Min(PageSize, area.Length - mapped - run);
            }

            var result = Fault(FaultPoint.DomainMap);
            if (result == Errno.None)
            {
                result = domain.Map(area.Iova + mapped, physical, run, area.Prot);
            }

            if (result != Errno.None)
            {
                if (mapped > 0)
                {
                    domain.Unmap(area.Iova, mapped);
                }

                pages.Unpin(area.FirstPageIndex, area.LastPageIndex);
                return result;
            }

            mapped += run;
        }

        return Errno.None;
    }

    private static void UnfillDomain(Area area, IoPages pages, IIoptDomain domain)
    {
        if (pages.Source is DmabufSource dmabuf)
        {
            dmabuf.Unfill(area, domain);
            return;
        }

        domain.Unmap(area.Iova, area.Length);
        pages.Unpin(area.FirstPageIndex, area.LastPageIndex);
    }
}
