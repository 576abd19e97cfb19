using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Host;

/// <summary>
/// A process's virtual memory: mappings (VMAs) in an interval tree and the pages touched so far. Every
/// access checks the mapping and its protection and answers EFAULT instead of throwing.
/// </summary>
internal sealed class AddressSpace
{
    public const ulong PageSize = SimulatedProcess.PageSize;
    private const ulong HugePageSize = PageSize * PhysicalMemory.HugePagePages;

    private readonly object _lock = new();
    private readonly IntervalTree<Vma> _vmas = new();
    private readonly Dictionary<ulong, UserPage> _pages = new();
    private readonly PhysicalMemory _physical;
    private ulong _nextAddress = 0x1000_0000;

    public AddressSpace(PhysicalMemory physical) => _physical = physical;

    public ulong Map(ulong length, MemoryProtection protection, MmapFlags flags, ulong alignment)
    {
        var huge = (flags & MmapFlags.HugeTlb) != 0;
        var granule = huge ? HugePageSize : PageSize;
        var size = AlignUp(Math.Max(length, 1), granule);
        alignment = Math.Max(alignment, granule);
        lock (_lock)
        {
            var start = AlignUp(_nextAddress, alignment);
            // A guard page after every mapping, so that running off its end faults.
            _nextAddress = start + size + PageSize;
            _vmas.Insert(start, start + size - 1, new Vma(start, start + size - 1, protection, huge));
            return start;
        }
    }

    public Errno Unmap(ulong address, ulong length)
    {
        if (address % PageSize != 0 || length == 0)
        {
            return Errno.EINVAL;
        }

        var last = address + AlignUp(length, PageSize) - 1;
        lock (_lock)
        {
            Reshape(address, last, _ => null);
            ForgetPages(address, last);
        }

        return Errno.None;
    }

    public Errno Protect(ulong address, ulong length, MemoryProtection protection)
    {
        if (address % PageSize != 0 || length == 0)
        {
            return Errno.EINVAL;
        }

        var last = address + AlignUp(length, PageSize) - 1;
        lock (_lock)
        {
            if (!IsFullyMapped(address, last))
            {
                return Errno.ENOMEM;
            }

            Reshape(address, last, vma => vma.Protection == protection ? vma : new Vma(0, 0, protection, vma.Huge));
        }

        return Errno.None;
    }

    public Errno Read(ulong address, Span<byte> destination)
    {
        lock (_lock)
        {
            var check = CheckAccess(address, (ulong)destination.Length, MemoryProtection.Read);
            if (check != Errno.None)
            {
                return check;
            }

            _physical.Touch(PagesSpanned(address, (ulong)destination.Length));
            var done = 0;
            while (done < destination.Length)
            {
                var current = address + (ulong)done;
                var offset = (int)(current % PageSize);
                var count = Math.Min((int)PageSize - offset, destination.Length - done);
                var chunk = destination.Slice(done, count);
                if (PageAt(current / PageSize, create: false) is { } page)
                {
                    page.Read(offset, chunk);
                }
                else
                {
                    chunk.Clear();
                }

                done += count;
            }
        }

        return Errno.None;
    }

    public Errno Write(ulong address, ReadOnlySpan<byte> source)
    {
        lock (_lock)
        {
            var check = CheckAccess(address, (ulong)source.Length, MemoryProtection.Write);
            if (check != Errno.None)
            {
                return check;
            }

            _physical.Touch(PagesSpanned(address, (ulong)source.Length));
            var done = 0;
            while (done < source.Length)
            {
                var current = address + (ulong)done;
                var offset = (int)(current % PageSize);
                var count = Math.Min((int)PageSize - offset, source.Length - done);
                if (PageAt(current / PageSize, create: true) is not { } page)
                {
                    return Errno.ENOMEM;
                }

                page.Write(offset, source.Slice(done, count));
                done += count;
            }
        }

        return Errno.None;
    }

    /// <summary>The pages behind [address, address + count pages), as get_user_pages returns them (EFAULT if unmapped or protected).</summary>
    public Errno GetPages(ulong address, int count, bool write, Span<UserPage> pages)
    {
        lock (_lock)
        {
            var check = CheckAccess(address, (ulong)count * PageSize, write ? MemoryProtection.Write : MemoryProtection.Read);
            if (check != Errno.None)
            {
                return check;
            }

            _physical.Touch(count);
            for (var i = 0; i < count; i++)
            {
                if (PageAt(address / PageSize + (ulong)i, create: true) is not { } page)
                {
                    return Errno.ENOMEM;
                }

                pages[i] = page;
            }
        }

        return Errno.None;
    }

    /// <summary>access_ok plus the mapping check: whether [address, address + length) could be copied (EFAULT if not), without copying.</summary>
    public Errno CheckRange(ulong address, ulong length, MemoryProtection needed)
    {
        lock (_lock)
        {
            return CheckAccess(address, length, needed);
        }
    }

    /// <summary>The page currently mapped at <paramref name="address"/> if it was ever touched, else null.</summary>
    public UserPage? PeekPage(ulong address)
    {
        lock (_lock)
        {
            return _pages.GetValueOrDefault(address / PageSize);
        }
    }

    public bool IsMapped(ulong address)
    {
        lock (_lock)
        {
            return _vmas.FirstIntersecting(address, address) is not null;
        }
    }

    private Errno CheckAccess(ulong address, ulong length, MemoryProtection needed)
    {
        if (length == 0)
        {
            return Errno.None;
        }

        if (address > ulong.MaxValue - (length - 1))
        {
            return Errno.EFAULT;
        }

        var last = address + length - 1;
        var cursor = address;
        foreach (var node in _vmas.Intersecting(address, last))
        {
            if (node.Start > cursor || (node.Value.Protection & needed) != needed)
            {
                return Errno.EFAULT;
            }

            if (node.Last >= last)
            {
                return Errno.None;
            }

            cursor = node.Last + 1;
        }

        return Errno.EFAULT;
    }

    private bool IsFullyMapped(ulong address, ulong last)
    {
        var cursor = address;
        foreach (var node in _vmas.Intersecting(address, last))
        {
            if (node.Start > cursor)
            {
                return false;
            }

            if (node.Last >= last)
            {
                return true;
            }

            cursor = node.Last + 1;
        }

        return false;
    }

    private UserPage? PageAt(ulong pageNumber, bool create)
    {
        if (_pages.TryGetValue(pageNumber, out var page) || !create)
        {
            return page;
        }

        var vma = _vmas.FirstIntersecting(pageNumber * PageSize, pageNumber * PageSize)!.Value;
        if (!_physical.TryReserve(vma.Huge ? PhysicalMemory.HugePagePages : 1))
        {
            // Out of memory: the fault fails (ENOMEM to the caller).
            return null;
        }

        if (!vma.Huge)
        {
            page = _physical.AllocatePage();
            _pages[pageNumber] = page;
            return page;
        }

        // A huge mapping gets its whole 2 MiB compound page at once, physically contiguous.
        var first = pageNumber / PhysicalMemory.HugePagePages * PhysicalMemory.HugePagePages;
        var huge = _physical.AllocateHugePage();
        for (var i = 0; i < huge.Length; i++)
        {
            _pages[first + (ulong)i] = huge[i];
        }

        return _pages[pageNumber];
    }

    // Replaces the part of every VMA inside [start, last] by what change returns (null: unmapped).
    private void Reshape(ulong start, ulong last, Func<Vma, Vma?> change)
    {
        foreach (var node in _vmas.Intersecting(start, last))
        {
            var vma = node.Value;
            _vmas.Remove(node);
            if (vma.Start < start)
            {
                _vmas.Insert(vma.Start, start - 1, new Vma(vma.Start, start - 1, vma.Protection, vma.Huge));
            }

            if (vma.Last > last)
            {
                _vmas.Insert(last + 1, vma.Last, new Vma(last + 1, vma.Last, vma.Protection, vma.Huge));
            }

            var middleStart = Math.Max(vma.Start, start);
            var middleLast = Math.Min(vma.Last, last);
            if (change(vma) is { } replacement)
            {
                _vmas.Insert(middleStart, middleLast, new Vma(middleStart, middleLast, replacement.Protection, vma.Huge));
            }
        }
    }

    private void ForgetPages(ulong start, ulong last)
    {
        var first = start / PageSize;
        var end = last / PageSize;
        var removed = 0;
        if ((ulong)_pages.Count < end - first + 1)
        {
            foreach (var key in _pages.Keys.Where(k => k >= first && k <= end).ToList())
            {
                _pages.Remove(key);
                removed++;
            }
        }
        else
        {
            for (var page = first; page <= end; page++)
            {
                if (_pages.Remove(page))
                {
                    removed++;
                }
            }
        }

        _physical.Release(removed);
    }

    private static long PagesSpanned(ulong address, ulong length)
        => length == 0 ? 0 : (long)((((address % PageSize) + length - 1) / PageSize) + 1);

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;
}
