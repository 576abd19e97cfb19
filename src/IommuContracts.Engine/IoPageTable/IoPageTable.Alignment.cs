namespace IommuContracts.Engine.IoPageTable;

// IOVA alignment: the largest requirement of the attached domains and accesses, and of HUGE_PAGES = 0.
internal sealed partial class IoPageTable
{
    /// <summary>
    /// iopt_disable_large_pages: EINVAL when domains are attached and areas exist; EADDRINUSE (setting
    /// reverted) if an area is not PAGE_SIZE aligned.
    /// </summary>
    public Errno DisableLargePages()
    {
        lock (Lock)
        {
            if (LargePagesDisabled)
            {
                return Errno.None;
            }

            if (_domains.Count > 0 && !_areas.IsEmpty)
            {
                return Errno.EINVAL;
            }

            LargePagesDisabled = true;
            var result = RecalculateAlignment();
            if (result != Errno.None)
            {
                LargePagesDisabled = false;
            }

            return result;
        }
    }

    public void EnableLargePages()
    {
        lock (Lock)
        {
            LargePagesDisabled = false;
            RecalculateAlignment();
        }
    }

    // iopt_calculate_iova_alignment: raising it requires every area to be aligned already.
    private Errno RecalculateAlignment()
    {
        var alignment = LargePagesDisabled ? PageSize : 1UL;
        foreach (var domain in _domains)
        {
            alignment = Math.Max(alignment, domain.MinPageSize);
        }

        foreach (var access in _accesses)
        {
            alignment = Math.Max(alignment, access.IovaAlignment);
        }

        if (alignment > IovaAlignment)
        {
            var check = CheckAreasAligned(alignment);
            if (check != Errno.None)
            {
                return check;
            }
        }

        IovaAlignment = alignment;
        return Errno.None;
    }

    private Errno CheckAreasAligned(ulong alignment)
    {
        var mask = alignment - 1;
        foreach (var node in _areas.All())
        {
            var area = node.Value;
            if ((area.Iova & mask) != 0 || (area.Length & mask) != 0 || (area.PageOffset & mask) != 0)
            {
                return Errno.EADDRINUSE;
            }
        }

        return Errno.None;
    }
}
