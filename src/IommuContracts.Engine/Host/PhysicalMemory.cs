namespace IommuContracts.Engine.Host;

/// <summary>
/// Hands out page frame numbers (single pages, or aligned runs of 512 for 2 MiB huge pages) and finds pinned
/// pages by physical address, which is how device DMA reaches memory through an IOMMU mapping.
/// </summary>
internal sealed class PhysicalMemory
{
    public const int HugePagePages = 512;

    // Pinned pages by frame number: a directory of 4096-entry chunks, grown under a lock and read without one.
    // Frame numbers are handed out densely, so this is an array index where a hash table cost a probe and
    // an allocation per pin (the bulk of a 1 GiB map's time).
    private const int ChunkBits = 12;
    private const ulong ChunkMask = (1UL << ChunkBits) - 1;

    private readonly object _grow = new();
    private UserPage?[]?[] _directory = new UserPage?[]?[64];
    private long _nextPfn = 0x10_0000;
    private long _pagesTouched;
    private long _residentPages;

    /// <summary>How many pages the machine has; faulting in a page past them fails (ENOMEM), as the kernel's allocator does.</summary>
    public long TotalPages { get; set; } = (4L << 30) / SimulatedProcess.PageSize;

    /// <summary>Pages currently faulted into some process's address space.</summary>
    public long ResidentPages => Interlocked.Read(ref _residentPages);

    /// <summary>Takes <paramref name="pages"/> pages of the machine for a fault; false when memory is exhausted.</summary>
    internal bool TryReserve(int pages)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _residentPages);
            if (current + pages > TotalPages)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _residentPages, current + pages, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back pages a process no longer maps.</summary>
    internal void Release(int pages) => Interlocked.Add(ref _residentPages, -pages);

    /// <summary>
    /// Pages the kernel has copied, pinned, unpinned, moved by DMA or written into (or cleared from) an IOMMU page
    /// table since boot, a PTE counting as a page: the work calls actually did, against which tests bound what
    /// one call may allocate and how long it may take.
    /// </summary>
    public long PagesTouched => Interlocked.Read(ref _pagesTouched);

    internal void Touch(long pages) => Interlocked.Add(ref _pagesTouched, pages);

    public UserPage AllocatePage() => new(this, (ulong)Interlocked.Increment(ref _nextPfn), compound: false);

    /// <summary>The pinned page at physical address <paramref name="physical"/>, if any.</summary>
    public UserPage? PinnedPageAt(ulong physical)
    {
        var pfn = physical / SimulatedProcess.PageSize;
        var directory = Volatile.Read(ref _directory);
        var index = pfn >> ChunkBits;
        return index < (ulong)directory.Length && Volatile.Read(ref directory[index]) is { } chunk
            ? Volatile.Read(ref chunk[pfn & ChunkMask])
            : null;
    }

    internal void Register(UserPage page) => Volatile.Write(ref Chunk(page.Pfn)[page.Pfn & ChunkMask], page);

    internal void Unregister(UserPage page) => Interlocked.CompareExchange(ref Chunk(page.Pfn)[page.Pfn & ChunkMask], null, page);

    private UserPage?[] Chunk(ulong pfn)
    {
        var index = pfn >> ChunkBits;
        var directory = Volatile.Read(ref _directory);
        if (index < (ulong)directory.Length && Volatile.Read(ref directory[index]) is { } chunk)
        {
            return chunk;
        }

        lock (_grow)
        {
            directory = _directory;
            if (index >= (ulong)directory.Length)
            {
                var grown = new UserPage?[]?[Math.Max(directory.Length * 2, (int)index + 1)];
                Array.Copy(directory, grown, directory.Length);
                Volatile.Write(ref _directory, grown);
                directory = grown;
            }

            if (directory[index] is not { } created)
            {
                created = new UserPage?[1 << ChunkBits];
                Volatile.Write(ref directory[index], created);
            }

            return created;
        }
    }

    /// <summary>512 physically contiguous pages forming one 2 MiB compound page.</summary>
    public UserPage[] AllocateHugePage()
    {
        long first;
        long current;
        do
        {
            current = Volatile.Read(ref _nextPfn);
            first = (current / HugePagePages + 1) * HugePagePages;
        }
        while (Interlocked.CompareExchange(ref _nextPfn, first + HugePagePages - 1, current) != current);

        var pages = new UserPage[HugePagePages];
        for (var i = 0; i < pages.Length; i++)
        {
            pages[i] = new UserPage(this, (ulong)(first + i), compound: true);
        }

        return pages;
    }
}
