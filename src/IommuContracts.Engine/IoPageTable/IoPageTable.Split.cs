using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.IoPageTable;

// Splitting areas, for VFIO TYPE1's unmap-in-the-middle.
internal sealed partial class IoPageTable
{
    /// <summary>iopt_cut_iova: makes every given IOVA the last byte of an area, splitting where needed.</summary>
    public Errno CutIova(IReadOnlyList<ulong> iovas)
    {
        lock (Lock)
        {
            foreach (var iova in iovas)
            {
                if (_areas.FirstIntersecting(iova, iova)?.Value is not { } area)
                {
                    continue;
                }

                var result = Split(area, iova);
                if (result != Errno.None)
                {
                    return result;
                }
            }

            return Errno.None;
        }
    }

    // iopt_area_split: [Iova, iova] and [iova + 1, Last] share the pages; domain mappings stay as they are,
    // which only works when they were made page by page (large pages disabled).
    private Errno Split(Area area, ulong iova)
    {
        if (iova == area.Iova || iova == area.Last)
        {
            return Errno.None;
        }

        if (area.Pages is not { } pages || area.PreventAccess)
        {
            return Errno.EBUSY;
        }

        // The dma-buf revoke tracking is per area; the kernel does not split it.
        if (pages.Source is DmabufSource)
        {
            return Errno.EOPNOTSUPP;
        }

        var newStart = iova + 1;
        if ((newStart & (IovaAlignment - 1)) != 0 || (area.StartByteOf(newStart) & (IovaAlignment - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        var allocation = Fault(FaultPoint.Allocation);
        if (allocation != Errno.None)
        {
            return allocation;
        }

        if (area.AccessPins > 0 || (_domains.Count > 0 && !LargePagesDisabled))
        {
            return Errno.EINVAL;
        }

        _areas.Remove(area.Node!);
        area.Node = null;
        var left = new Area(area.Iova, iova, area.PagesStartByte, area.Prot) { Pages = pages };
        var right = new Area(newStart, area.Last, area.StartByteOf(newStart), area.Prot) { Pages = pages };
        left.Node = _areas.Insert(left.Iova, left.Last, left);
        right.Node = _areas.Insert(right.Iova, right.Last, right);
        pages.Get();
        return Errno.None;
    }
}
