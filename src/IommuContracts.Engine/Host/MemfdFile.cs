namespace IommuContracts.Engine.Host;

/// <summary>
/// A memfd (shmem, or hugetlbfs with MFD_HUGETLB): a file of pages with a size. Its pages are shared by every
/// mapping of it and can be pinned by file offset, so an IOMMU mapping of it (IOAS_MAP_FILE) does not depend
/// on any process's page tables. Pages past the size do not exist (SIGBUS for a mapping, EINVAL for a pin).
/// </summary>
internal sealed class MemfdFile : OpenFile, IVmaBacking
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, UserPage> _pages = new();
    private readonly PhysicalMemory _memory;
    private readonly string _name;
    private ulong _size;
    private ulong _position;

    public MemfdFile(PhysicalMemory memory, string name, bool huge)
    {
        _memory = memory;
        _name = name;
        Huge = huge;
    }

    /// <summary>The page granule of the file (2 MiB for hugetlbfs).</summary>
    public ulong Granule => Huge ? (ulong)SimulatedProcess.PageSize * PhysicalMemory.HugePagePages : SimulatedProcess.PageSize;

    public override string Name => $"/memfd:{_name}" + (Huge ? " (hugetlb)" : string.Empty);

    public bool CanPin => true;

    public bool Huge { get; }

    /// <summary>The file size in bytes.</summary>
    public ulong Size
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Errno.ENOTTY.ToSyscallResult();

    /// <summary>ftruncate: EINVAL for a hugetlbfs size that is not a whole number of huge pages; shrinking drops the pages past the end.</summary>
    public Errno Truncate(ulong length)
    {
        if (Huge && length % Granule != 0)
        {
            return Errno.EINVAL;
        }

        lock (_lock)
        {
            if (length < _size)
            {
                var firstGone = (length + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize;
                foreach (var index in _pages.Keys.Where(k => k >= firstGone).ToList())
                {
                    // A pinned page stays alive with whoever pinned it, as truncated page cache pages do.
                    _pages.Remove(index);
                }
            }

            _size = length;
            return Errno.None;
        }
    }

    // Both copy a page at a time, so a length user space merely claims costs nothing up front.
    public override long Read(SimulatedProcess caller, ulong buffer, ulong count)
    {
        lock (_lock)
        {
            var available = _position >= _size ? 0 : Math.Min(count, _size - _position);
            var chunk = new byte[SimulatedProcess.PageSize];
            ulong done = 0;
            while (done < available)
            {
                var length = (int)Math.Min((ulong)chunk.Length, available - done);
                Copy(_position + done, chunk.AsSpan(0, length), write: false);
                if (caller.Write(buffer + done, chunk.AsSpan(0, length)) != Errno.None)
                {
                    break;
                }

                done += (ulong)length;
            }

            _position += done;
            return done == 0 && available != 0 ? Errno.EFAULT.ToSyscallResult() : (long)done;
        }
    }

    public override long Write(SimulatedProcess caller, ulong buffer, ulong count)
    {
        if (Huge)
        {
            // hugetlbfs has no write operation.
            return Errno.EINVAL.ToSyscallResult();
        }

        lock (_lock)
        {
            var chunk = new byte[SimulatedProcess.PageSize];
            ulong done = 0;
            while (done < count)
            {
                var length = (int)Math.Min((ulong)chunk.Length, count - done);
                if (caller.Read(buffer + done, chunk.AsSpan(0, length)) != Errno.None)
                {
                    break;
                }

                _size = Math.Max(_size, _position + done + (ulong)length);
                Copy(_position + done, chunk.AsSpan(0, length), write: true);
                done += (ulong)length;
            }

            _position += done;
            return done == 0 && count != 0 ? Errno.EFAULT.ToSyscallResult() : (long)done;
        }
    }

    public override Errno Mmap(ulong length, MemoryProtection protection, bool shared, ulong offset, out IVmaBacking? backing, out ulong firstPage)
    {
        backing = null;
        firstPage = 0;
        if (offset % Granule != 0)
        {
            return Errno.EINVAL;
        }

        backing = this;
        firstPage = offset / SimulatedProcess.PageSize;
        return Errno.None;
    }

    public UserPage? PageAt(ulong index, bool create)
    {
        lock (_lock)
        {
            return PageAtLocked(index, create);
        }
    }

    /// <summary>
    /// memfd_pin_folios: the pages [first, first + count) for pinning, allocated if never touched. EINVAL if
    /// any lies past the end of the file.
    /// </summary>
    public Errno GetPagesForPin(ulong first, int count, Span<UserPage> pages)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                if (PageAtLocked(first + (ulong)i, create: true) is not { } page)
                {
                    return Errno.EINVAL;
                }

                pages[i] = page;
            }

            return Errno.None;
        }
    }

    void IVmaBacking.Opened() => Get();

    void IVmaBacking.Closed() => Put();

    protected override void Release()
    {
        lock (_lock)
        {
            _pages.Clear();
        }
    }

    private UserPage? PageAtLocked(ulong index, bool create)
    {
        if (index >= (_size + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize)
        {
            return null;
        }

        if (_pages.TryGetValue(index, out var page) || !create)
        {
            return page;
        }

        if (!Huge)
        {
            page = _memory.AllocatePage();
            _pages[index] = page;
            return page;
        }

        var first = index / PhysicalMemory.HugePagePages * PhysicalMemory.HugePagePages;
        var huge = _memory.AllocateHugePage();
        for (var i = 0; i < huge.Length; i++)
        {
            _pages[first + (ulong)i] = huge[i];
        }

        return _pages[index];
    }

    private void Copy(ulong position, Span<byte> data, bool write)
    {
        var done = 0;
        while (done < data.Length)
        {
            var current = position + (ulong)done;
            var offset = (int)(current % SimulatedProcess.PageSize);
            var count = Math.Min((int)SimulatedProcess.PageSize - offset, data.Length - done);
            var page = PageAtLocked(current / SimulatedProcess.PageSize, create: write);
            if (write)
            {
                page!.Write(offset, data.Slice(done, count));
            }
            else if (page is not null)
            {
                page.Read(offset, data.Slice(done, count));
            }
            else
            {
                data.Slice(done, count).Clear();
            }

            done += count;
        }
    }
}
