using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// iopt_pages: the pinned backing of one user VA range, shared by every area that maps part of it (MAP and
/// the COPYs made from it), so memory is pinned and charged once however many areas, domains and
/// accesses use it. Each page is pinned while at least one user (a domain mapping or an access pin)
/// covers it.
/// </summary>
internal sealed partial class IoPages
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, PinChunk> _chunks = new();
    private int _references = 1;
    private long _pinnedPages;

    public IoPages(SimulatedProcess process, ulong uptr, ulong length, bool writable, AccountMode accountMode)
        : this(process, new UserVaSource(process, uptr / SimulatedProcess.PageSize * SimulatedProcess.PageSize), uptr % SimulatedProcess.PageSize, length, writable, accountMode)
    {
    }

    /// <summary>Pages of <paramref name="source"/> from <paramref name="startByte"/> into its first page, charged to <paramref name="process"/>.</summary>
    public IoPages(SimulatedProcess process, IPageSource source, ulong startByte, ulong length, bool writable, AccountMode accountMode)
    {
        Process = process;
        Source = source;
        UserVa = source.Base;
        PageCount = (startByte + length + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize;
        Writable = writable;
        AccountMode = accountMode;
    }

    /// <summary>The process pins are charged to (the mapping one; IOAS_CHANGE_PROCESS moves file pages).</summary>
    public SimulatedProcess Process { get; private set; }

    /// <summary>Where the pages come from.</summary>
    public IPageSource Source { get; }

    /// <summary>The page-aligned start of page 0: a user address, or the file offset for file pages.</summary>
    public ulong UserVa { get; }

    public ulong PageCount { get; }

    public bool Writable { get; }

    public AccountMode AccountMode { get; set; }

    /// <summary>Pages this object holds pinned right now.</summary>
    public long PinnedPages => Interlocked.Read(ref _pinnedPages);

    public int References => Volatile.Read(ref _references);

    public void Get() => Interlocked.Increment(ref _references);

    public void Put()
    {
        if (Interlocked.Decrement(ref _references) != 0)
        {
            return;
        }

        if (PinnedPages != 0)
        {
            Process.Kernel.Log.Warn($"iopt_pages at 0x{UserVa:X} released with {PinnedPages} pages still pinned");
        }

        Source.Release();
    }

    /// <summary>Pages pinned (get_user_pages) and then charged in one step of a walk, as pfn_reader fills a batch.</summary>
    public const int PinBatchPages = 512;

    /// <summary>
    /// Adds a user to every page in [first, last] (page indexes), pinning and charging the pages that had none.
    /// All or nothing. The range is walked batch by batch, pin then charge, so the walk stops at the first page
    /// that cannot be pinned (EFAULT) or charged (ENOMEM): the cost is that of the pages actually there, never
    /// of the length asked for.
    /// </summary>
    public Errno Pin(ulong first, ulong last, bool write)
    {
        lock (_lock)
        {
            var batches = new List<(ulong Start, int Count)>();
            var pages = new UserPage[PinBatchPages];
            var index = first;
            while (index <= last)
            {
                if (UsersOfLocked(index) > 0)
                {
                    if (index == last)
                    {
                        break;
                    }

                    index++;
                    continue;
                }

                var count = 1;
                while (count < PinBatchPages && index + (ulong)count <= last && UsersOfLocked(index + (ulong)count) == 0)
                {
                    count++;
                }

                var result = PinBatch(index, count, write || Writable, pages);
                if (result != Errno.None)
                {
                    foreach (var (start, pinned) in batches)
                    {
                        ReleasePins(start, pinned);
                        Uncharge(pinned);
                    }

                    return result;
                }

                batches.Add((index, count));
                var next = index + (ulong)count;
                if (next <= index || next > last)
                {
                    break;
                }

                index = next;
            }

            for (index = first; ; index++)
            {
                Chunk(index).Users[index % PinChunk.Pages]++;
                if (index == last)
                {
                    break;
                }
            }

            return Errno.None;
        }
    }

    /// <summary>Drops a user from every page in [first, last]; pages left without users are unpinned and uncharged.</summary>
    public void Unpin(ulong first, ulong last)
    {
        lock (_lock)
        {
            var released = 0;
            for (var index = first; index <= last; index++)
            {
                var chunk = Chunk(index);
                var slot = (int)(index % PinChunk.Pages);
                if (chunk.Users[slot] <= 0)
                {
                    Process.Kernel.Log.Warn($"iopt_pages at 0x{UserVa:X}: page {index} unpinned without a user");
                    continue;
                }

                if (--chunk.Users[slot] == 0)
                {
                    chunk.Pinned[slot]!.Unpin();
                    chunk.Pinned[slot] = null;
                    released++;
                }
            }

            Process.Kernel.PhysicalMemory.Touch(released);
            if (released > 0)
            {
                Interlocked.Add(ref _pinnedPages, -released);
                Uncharge(released);
            }
        }
    }

    /// <summary>The pinned page at <paramref name="index"/>; the caller holds a pin on it.</summary>
    public UserPage PinnedPage(ulong index)
    {
        lock (_lock)
        {
            return Chunk(index).Pinned[index % PinChunk.Pages]
                   ?? throw new InvalidOperationException($"page {index} of 0x{UserVa:X} is not pinned");
        }
    }

    /// <summary>
    /// Copies through page <paramref name="index"/> if it is pinned, holding the lock an unpin needs, so another
    /// area sharing these pages cannot unpin it mid-copy (iopt_pages_rw_access copies under pages->mutex). False
    /// when the page has no user: the caller goes through the process memory instead.
    /// </summary>
    public bool TryCopyPinned(ulong index, int offset, Span<byte> data, bool write)
    {
        lock (_lock)
        {
            if (UsersOfLocked(index) == 0)
            {
                return false;
            }

            Process.Kernel.Interleavings.Reach(InterleavingPoint.AccessRwPinnedPage);
            Process.Kernel.PhysicalMemory.Touch(1);
            var page = Chunk(index).Pinned[index % PinChunk.Pages]
                       ?? throw new InvalidOperationException($"page {index} of 0x{UserVa:X} has users but no pinned page");
            if (write)
            {
                page.Write(offset, data);
            }
            else
            {
                page.Read(offset, data);
            }

            return true;
        }
    }

    public int UsersOf(ulong index)
    {
        lock (_lock)
        {
            return UsersOfLocked(index);
        }
    }

    private int UsersOfLocked(ulong index)
        => _chunks.TryGetValue(index / PinChunk.Pages, out var chunk) ? chunk.Users[index % PinChunk.Pages] : 0;

    // get_user_pages over one run of pages without users, then the charge; a failed charge gives the pins back.
    private Errno PinBatch(ulong start, int count, bool write, UserPage[] pages)
    {
        var result = Process.Kernel.Faults.Hit(FaultPoint.PinPages);
        if (result == Errno.None)
        {
            result = Source.GetPages(start, count, write, pages);
        }

        if (result != Errno.None)
        {
            return result;
        }

        for (var i = 0; i < count; i++)
        {
            var index = start + (ulong)i;
            pages[i].Pin();
            Chunk(index).Pinned[index % PinChunk.Pages] = pages[i];
        }

        Interlocked.Add(ref _pinnedPages, count);
        var charged = Process.Kernel.Faults.Hit(FaultPoint.Accounting);
        if (charged == Errno.None)
        {
            charged = Charge(count);
        }

        if (charged != Errno.None)
        {
            ReleasePins(start, count);
        }

        return charged;
    }

    private void ReleasePins(ulong start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var index = start + (ulong)i;
            var chunk = Chunk(index);
            chunk.Pinned[index % PinChunk.Pages]!.Unpin();
            chunk.Pinned[index % PinChunk.Pages] = null;
        }

        Interlocked.Add(ref _pinnedPages, -count);
    }

    private Errno Charge(long pages)
    {
        var limit = (long)(Process.MemlockLimit / SimulatedProcess.PageSize);
        switch (AccountMode)
        {
            case AccountMode.User:
                if (!TryCharge(ref Process.User.LockedPagesCounter, pages, limit))
                {
                    return Errno.ENOMEM;
                }

                break;
            case AccountMode.Mm:
                if (!TryCharge(ref Process.LockedPagesCounter, pages, limit))
                {
                    return Errno.ENOMEM;
                }

                break;
        }

        Interlocked.Add(ref Process.PinnedPagesCounter, pages);
        return Errno.None;
    }

    private void Uncharge(long pages)
    {
        switch (AccountMode)
        {
            case AccountMode.User:
                Interlocked.Add(ref Process.User.LockedPagesCounter, -pages);
                break;
            case AccountMode.Mm:
                Interlocked.Add(ref Process.LockedPagesCounter, -pages);
                break;
        }

        Interlocked.Add(ref Process.PinnedPagesCounter, -pages);
    }

    private static bool TryCharge(ref long counter, long pages, long limit)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current + pages > limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current + pages, current) == current)
            {
                return true;
            }
        }
    }

    private PinChunk Chunk(ulong index)
    {
        var key = index / PinChunk.Pages;
        if (!_chunks.TryGetValue(key, out var chunk))
        {
            chunk = new PinChunk();
            _chunks[key] = chunk;
        }

        return chunk;
    }
}
