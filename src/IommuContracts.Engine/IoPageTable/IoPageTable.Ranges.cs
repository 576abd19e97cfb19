using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.IoPageTable;

// Reserved and allowed IOVA.
internal sealed partial class IoPageTable
{
    /// <summary>The owner of ranges reserved by nobody in particular (IOMMU_TEST_OP_ADD_RESERVED).</summary>
    public static readonly object NoOwner = new();

    /// <summary>The usable IOVA: the holes of the reserved ranges over the whole space, in order.</summary>
    public List<(ulong Start, ulong Last)> UsableRanges()
    {
        lock (Lock)
        {
            return _reserved.Holes(0, ulong.MaxValue);
        }
    }

    /// <summary>iopt_reserve_iova: EADDRINUSE if an area or an allowed range intersects [start, last].</summary>
    public Errno ReserveIova(ulong start, ulong last, object? owner)
    {
        lock (Lock)
        {
            return ReserveLocked(start, last, owner);
        }
    }

    /// <summary>Removes every reserved range of <paramref name="owner"/>.</summary>
    public void RemoveReserved(object owner)
    {
        lock (Lock)
        {
            RemoveReservedLocked(owner);
        }
    }

    public int ReservedCount(object? owner)
    {
        lock (Lock)
        {
            return _reserved.All().Count(n => ReferenceEquals(n.Value.Owner, owner));
        }
    }

    /// <summary>
    /// iopt_set_allow_iova: replaces the allowed list atomically; EADDRINUSE (old list kept) if a new range
    /// intersects a reserved range. The caller has validated the ranges (start &lt; last, no overlaps).
    /// </summary>
    public Errno SetAllowed(IReadOnlyList<(ulong Start, ulong Last)> ranges)
    {
        lock (Lock)
        {
            foreach (var (start, last) in ranges)
            {
                if (_reserved.FirstIntersecting(start, last) is not null)
                {
                    return Errno.EADDRINUSE;
                }
            }

            foreach (var node in _allowed.All())
            {
                _allowed.Remove(node);
            }

            foreach (var (start, last) in ranges)
            {
                _allowed.Insert(start, last, null);
            }

            return Errno.None;
        }
    }

    public List<(ulong Start, ulong Last)> AllowedRanges()
    {
        lock (Lock)
        {
            return _allowed.All().Select(n => (n.Start, n.Last)).ToList();
        }
    }

    private Errno ReserveLocked(ulong start, ulong last, object? owner)
    {
        if (_areas.FirstIntersecting(start, last) is not null || _allowed.FirstIntersecting(start, last) is not null)
        {
            return Errno.EADDRINUSE;
        }

        var inserted = Fault(FaultPoint.IntervalInsert);
        if (inserted != Errno.None)
        {
            return inserted;
        }

        _reserved.Insert(start, last, new ReservedRange(owner));
        return Errno.None;
    }

    private void RemoveReservedLocked(object owner)
    {
        foreach (var node in _reserved.All().Where(n => ReferenceEquals(n.Value.Owner, owner)))
        {
            _reserved.Remove(node);
        }
    }
}
