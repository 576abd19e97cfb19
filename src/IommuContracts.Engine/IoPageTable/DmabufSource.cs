using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// IOPT_ADDRESS_DMABUF: a range of a dma-buf mapped with IOAS_MAP_FILE. Nothing is pinned or charged: the
/// exporter's memory is mapped into domains as it is, and accesses cannot use it (EINVAL). Every (area, domain)
/// pair holding a mapping is tracked so that a revoke from the exporter can unmap them all; once revoked the
/// pages stay revoked, later domains get nothing mapped, and unmapping skips the domain.
/// </summary>
internal sealed class DmabufSource : IPageSource, IDmaBufImporter
{
    private readonly object _lock = new();
    private readonly List<(Area Area, IIoptDomain Domain)> _tracks = new();
    private readonly DmaBufFile _buffer;
    private IReadOnlyList<UserPage> _memory = Array.Empty<UserPage>();
    private bool _revoked;
    private int _released;

    private DmabufSource(DmaBufFile buffer, ulong offset)
    {
        buffer.Get();
        _buffer = buffer;
        Base = offset;
    }

    public bool IsFile => false;

    public ulong Base { get; }

    /// <summary>Whether the exporter revoked the memory since this source attached.</summary>
    public bool Revoked
    {
        get
        {
            lock (_lock)
            {
                return _revoked;
            }
        }
    }

    /// <summary>(area, domain) pairs that hold a mapping of this source or would (while revoked).</summary>
    public int TrackedDomains
    {
        get
        {
            lock (_lock)
            {
                return _tracks.Count;
            }
        }
    }

    /// <summary>
    /// iopt_map_dmabuf: a file reference, a dynamic attachment (its allocation can fail), and the memory from
    /// the exporter (ENODEV while revoked). On failure nothing is held.
    /// </summary>
    public static Errno Attach(DmaBufFile buffer, ulong offset, FaultInjector faults, out DmabufSource? source)
    {
        source = null;
        var allocated = faults.Hit(FaultPoint.Allocation);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        var attaching = new DmabufSource(buffer, offset);
        var attached = buffer.Attach(attaching, out var memory);
        if (attached != Errno.None)
        {
            buffer.Put();
            return attached;
        }

        attaching._memory = memory;
        source = attaching;
        return Errno.None;
    }

    public Errno GetPages(ulong index, int count, bool write, Span<UserPage> pages) => Errno.EINVAL;

    public Errno Copy(ulong byteIndex, Span<byte> data, bool write) => Errno.EINVAL;

    /// <summary>
    /// Maps the area into the domain as physically contiguous runs, unless revoked, and tracks the pair (the
    /// tracking entry's allocation can fail). All or nothing.
    /// </summary>
    public Errno Fill(Area area, IIoptDomain domain, Func<FaultPoint, Errno> fault)
    {
        var tracked = fault(FaultPoint.Allocation);
        if (tracked != Errno.None)
        {
            return tracked;
        }

        lock (_lock)
        {
            if (!_revoked)
            {
                var mapped = MapLocked(area, domain, fault);
                if (mapped != Errno.None)
                {
                    return mapped;
                }
            }

            _tracks.Add((area, domain));
            return Errno.None;
        }
    }

    /// <summary>Unmaps the area from the domain unless a revoke already did, and stops tracking the pair.</summary>
    public void Unfill(Area area, IIoptDomain domain)
    {
        lock (_lock)
        {
            if (!_revoked)
            {
                domain.Unmap(area.Iova, area.Length);
            }

            if (!_tracks.Remove((area, domain)))
            {
                throw new InvalidOperationException($"dma-buf {area} was not tracked in the domain it is unfilled from");
            }
        }
    }

    /// <summary>iopt_revoke_notify: unmaps every tracked pair once; the pages stay revoked from then on.</summary>
    public void MoveNotify()
    {
        lock (_lock)
        {
            if (_revoked)
            {
                return;
            }

            foreach (var (area, domain) in _tracks)
            {
                domain.Unmap(area.Iova, area.Length);
            }

            _revoked = true;
            _memory = Array.Empty<UserPage>();
        }
    }

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _buffer.Detach(this);
        _buffer.Put();
    }

    private Errno MapLocked(Area area, IIoptDomain domain, Func<FaultPoint, Errno> fault)
    {
        const ulong pageSize = SimulatedProcess.PageSize;
        ulong mapped = 0;
        while (mapped < area.Length)
        {
            var physical = PhysicalOf(area.PagesStartByte + mapped);
            var run = Math.Min(pageSize - (physical % pageSize), area.Length - mapped);
            while (mapped + run < area.Length && PhysicalOf(area.PagesStartByte + mapped + run) == physical + run)
            {
                run += Math.Min(pageSize, area.Length - mapped - run);
            }

            var result = fault(FaultPoint.DomainMap);
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

                return result;
            }

            mapped += run;
        }

        return Errno.None;
    }

    /// <summary>The physical address byte <paramref name="pagesByte"/> of the pages maps to; false once revoked.</summary>
    public bool TryPhysicalOf(ulong pagesByte, out ulong physical)
    {
        lock (_lock)
        {
            physical = _revoked ? 0 : PhysicalOf(pagesByte);
            return !_revoked;
        }
    }

    private ulong PhysicalOf(ulong pagesByte)
    {
        var bufferByte = Base + pagesByte;
        return _memory[(int)(bufferByte / SimulatedProcess.PageSize)].PhysicalAddress + (bufferByte % SimulatedProcess.PageSize);
    }
}
