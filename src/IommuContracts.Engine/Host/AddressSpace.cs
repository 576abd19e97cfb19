using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Host;

/// <summary>
/// A process's virtual memory: mappings (VMAs) in an interval tree and the anonymous pages (and private
/// copies of file pages) touched so far. File and device mappings show their backing's pages. Every
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

    /// <summary>Anonymous mmap: a new mapping of <paramref name="length"/> bytes (rounded up to pages).</summary>
    public ulong Map(ulong length, MemoryProtection protection, MmapFlags flags, ulong alignment)
    {
        var huge = (flags & MmapFlags.HugeTlb) != 0;
        lock (_lock)
        {
            var (start, last) = Place(length, alignment, huge);
            _vmas.Insert(start, last, new Vma(start, last, protection, huge));
            return start;
        }
    }

    /// <summary>
    /// mmap of a file or device memory: pages <paramref name="firstPage"/> onwards of <paramref name="backing"/>
    /// at a new address. The VMA takes a reference on the backing.
    /// </summary>
    public ulong MapBacking(ulong length, MemoryProtection protection, bool shared, IVmaBacking backing, ulong firstPage)
    {
        lock (_lock)
        {
            var (start, last) = Place(length, PageSize, backing.Huge);
            _vmas.Insert(start, last, new Vma(start, last, protection, backing.Huge, backing, firstPage, shared));
            backing.Opened();
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

            Reshape(address, last, _ => protection);
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
                var found = Resolve(current / PageSize, create: false, write: false, out var page);
                if (found != Errno.None)
                {
                    return found;
                }

                if (page is not null)
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
            // copy_to_user stops at the first byte it cannot write and leaves what it wrote before it: the
            // writable prefix is written, then EFAULT.
            var writable = WritablePrefix(address, (ulong)source.Length);
            if (writable < (ulong)source.Length)
            {
                Write(address, source.Slice(0, (int)writable));
                return Errno.EFAULT;
            }

            _physical.Touch(PagesSpanned(address, (ulong)source.Length));
            var done = 0;
            while (done < source.Length)
            {
                var current = address + (ulong)done;
                var offset = (int)(current % PageSize);
                var count = Math.Min((int)PageSize - offset, source.Length - done);
                var found = Resolve(current / PageSize, create: true, write: true, out var page);
                if (found != Errno.None)
                {
                    return found;
                }

                page!.Write(offset, source.Slice(done, count));
                done += count;
            }
        }

        return Errno.None;
    }

    /// <summary>
    /// The pages behind [address, address + count pages), as get_user_pages returns them: EFAULT if unmapped,
    /// protected, past the end of a mapped file, or device memory (VM_PFNMAP cannot be pinned).
    /// </summary>
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
                var pageNumber = (address / PageSize) + (ulong)i;
                if (VmaOf(pageNumber) is { Backing.CanPin: false })
                {
                    return Errno.EFAULT;
                }

                var found = Resolve(pageNumber, create: true, write, out var page);
                if (found != Errno.None)
                {
                    return found;
                }

                pages[i] = page!;
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
            return Resolve(address / PageSize, create: false, write: false, out var page) == Errno.None ? page : null;
        }
    }

    public bool IsMapped(ulong address)
    {
        lock (_lock)
        {
            return _vmas.FirstIntersecting(address, address) is not null;
        }
    }

    // The next free address (with a guard page after every mapping, so running off its end faults).
    private (ulong Start, ulong Last) Place(ulong length, ulong alignment, bool huge)
    {
        var granule = huge ? HugePageSize : PageSize;
        var size = AlignUp(Math.Max(length, 1), granule);
        alignment = Math.Max(alignment, granule);
        var start = AlignUp(_nextAddress, alignment);
        _nextAddress = start + size + PageSize;
        return (start, start + size - 1);
    }

    // How many bytes from address on lie in writable mappings, up to length (0 when address + length wraps).
    private ulong WritablePrefix(ulong address, ulong length)
    {
        if (length == 0 || address > ulong.MaxValue - (length - 1))
        {
            return 0;
        }

        var last = address + length - 1;
        var cursor = address;
        foreach (var node in _vmas.Intersecting(address, last))
        {
            if (node.Start > cursor || (node.Value.Protection & MemoryProtection.Write) == 0)
            {
                break;
            }

            if (node.Last >= last)
            {
                return length;
            }

            cursor = node.Last + 1;
        }

        return cursor - address;
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

    private Vma? VmaOf(ulong pageNumber) => _vmas.FirstIntersecting(pageNumber * PageSize, pageNumber * PageSize)?.Value;

    // The page a mapped address shows: an anonymous page (created when asked), a private copy of a file
    // page, or the backing's own page (a private mapping copies it on write). EFAULT past a file's end.
    private Errno Resolve(ulong pageNumber, bool create, bool write, out UserPage? page)
    {
        if (_pages.TryGetValue(pageNumber, out page))
        {
            return Errno.None;
        }

        var vma = VmaOf(pageNumber);
        if (vma is null)
        {
            return Errno.EFAULT;
        }

        if (vma.Backing is { } backing)
        {
            var shown = backing.PageAt(vma.BackingIndexOf(pageNumber * PageSize), create: true);
            if (shown is null)
            {
                return Errno.EFAULT;
            }

            page = shown;
            if (write && !vma.Shared)
            {
                // Copy on write: this process gets its own page from now on (ForgetPages gives it back).
                if (!_physical.TryReserve(1))
                {
                    return Errno.ENOMEM;
                }

                page = _physical.AllocatePage();
                var data = new byte[PageSize];
                shown.Read(0, data);
                page.Write(0, data);
                _pages[pageNumber] = page;
            }

            return Errno.None;
        }

        if (!create)
        {
            return Errno.None;
        }

        if (!_physical.TryReserve(vma.Huge ? PhysicalMemory.HugePagePages : 1))
        {
            // Out of memory: the fault fails (ENOMEM to the caller).
            return Errno.ENOMEM;
        }

        if (!vma.Huge)
        {
            page = _physical.AllocatePage();
            _pages[pageNumber] = page;
            return Errno.None;
        }

        // A huge mapping gets its whole 2 MiB compound page at once, physically contiguous.
        var first = pageNumber / PhysicalMemory.HugePagePages * PhysicalMemory.HugePagePages;
        var huge = _physical.AllocateHugePage();
        for (var i = 0; i < huge.Length; i++)
        {
            _pages[first + (ulong)i] = huge[i];
        }

        page = _pages[pageNumber];
        return Errno.None;
    }

    // Replaces the part of every VMA inside [start, last]: change gives its new protection, or null to unmap
    // it. The pieces keep what they map; a backed VMA's reference moves to its pieces (open / close).
    private void Reshape(ulong start, ulong last, Func<Vma, MemoryProtection?> change)
    {
        foreach (var node in _vmas.Intersecting(start, last).ToList())
        {
            var vma = node.Value;
            _vmas.Remove(node);
            var pieces = new List<Vma>();
            if (vma.Start < start)
            {
                pieces.Add(vma.Slice(vma.Start, start - 1, vma.Protection));
            }

            if (vma.Last > last)
            {
                pieces.Add(vma.Slice(last + 1, vma.Last, vma.Protection));
            }

            if (change(vma) is { } protection)
            {
                pieces.Add(vma.Slice(Math.Max(vma.Start, start), Math.Min(vma.Last, last), protection));
            }

            foreach (var piece in pieces)
            {
                _vmas.Insert(piece.Start, piece.Last, piece);
                piece.Backing?.Opened();
            }

            vma.Backing?.Closed();
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
