using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Iommu;

/// <summary>
/// A paging IOMMU domain: a multi-level radix page table (fanout 512 above the smallest IO page) that maps
/// IOVA to physical memory with permissions. Each map uses the largest page the IOVA, the physical address
/// and the remaining length allow. Unmaps must cover what was mapped (the mock driver WARNs otherwise),
/// and a domain freed with entries left is a leak (WARN).
/// </summary>
internal sealed class PagingDomain : IIoptDomain, IPageSizeDomain
{
    private const int Levels = 6;

    private readonly object _lock = new();

    // DMA transactions in flight, from the first translation to the last byte. An unmap waits for them once its
    // entries are gone: that is the IOTLB sync, which completes only after DMA that may still use a removed
    // translation has drained, so the unpin that follows never pulls memory from under a transfer. New
    // transactions wait while an unmap does, so a stream of DMA cannot starve it.
    private readonly object _dmaGate = new();
    private int _dmaInFlight;
    private int _unmapsWaiting;
    private readonly PageTableNode _root = new();
    private readonly int _leafShift;
    private long _entries;

    public PagingDomain(IommuInstance iommu, IommuGeometry geometry, bool dirtyCapable, bool nestParent)
    {
        Iommu = iommu;
        Geometry = geometry;
        DirtyCapable = dirtyCapable;
        NestParent = nestParent;
        _leafShift = System.Numerics.BitOperations.TrailingZeroCount(geometry.MinPageSize);
    }

    public IommuInstance Iommu { get; }

    public IommuGeometry Geometry { get; }

    public SimulatedKernel Kernel { get; set; } = null!;

    public bool DirtyCapable { get; }

    public bool NestParent { get; }

    /// <summary>Dirty tracking is on: DMA writes mark PTEs dirty.</summary>
    public bool DirtyTracking { get; set; }

    /// <summary>Blocks no-snoop DMA (set before the first map, never cleared).</summary>
    public bool EnforceCacheCoherency { get; set; }

    /// <summary>The software MSI window mapped into this domain, if any.</summary>
    public ulong? MsiWindow { get; set; }

    public ulong PageSizeBitmap => Geometry.PageSizeBitmap;

    public ulong MinPageSize => Geometry.MinPageSize;

    public ulong ApertureStart => Geometry.ApertureStart;

    public ulong ApertureLast => Geometry.ApertureLast;

    /// <summary>Present entries (of any size).</summary>
    public long EntryCount => Interlocked.Read(ref _entries);

    /// <summary>PTEs written since creation (a benchmark metric).</summary>
    public long PtesWritten { get; private set; }

    public Errno Map(ulong iova, ulong physical, ulong length, IommuProt prot)
    {
        var min = MinPageSize;
        if (length == 0 || iova % min != 0 || physical % min != 0 || length % min != 0)
        {
            Kernel.Log.Warn($"domain map of unaligned [0x{iova:X}, +0x{length:X}) -> 0x{physical:X}");
            return Errno.EINVAL;
        }

        var failed = Errno.None;
        lock (_lock)
        {
            ulong done = 0;
            while (done < length)
            {
                var size = LargestPage(iova + done, physical + done, length - done);
                var flags = Pte.Present | ((prot & IommuProt.Read) != 0 ? Pte.Read : 0) | ((prot & IommuProt.Write) != 0 ? Pte.Write : 0);
                if (done == 0)
                {
                    flags |= Pte.Start;
                }

                if (done + size == length)
                {
                    flags |= Pte.Last;
                }

                if (!SetEntry(iova + done, size, (physical + done) | flags))
                {
                    Kernel.Log.Warn($"domain map over an existing entry at 0x{iova + done:X}");
                    if (done > 0)
                    {
                        UnmapLocked(iova, done, checkPairing: false);
                    }

                    failed = Errno.EEXIST;
                    break;
                }

                PtesWritten++;
                done += size;
            }
        }

        if (failed != Errno.None)
        {
            WaitForDmaInFlight();
            return failed;
        }

        Kernel.PhysicalMemory.Touch((long)(length / min));

        return Errno.None;
    }

    public void Unmap(ulong iova, ulong length) => Unmap(iova, length, checkPairing: true);

    /// <summary>iommu_unmap: clears the entries, then waits for DMA in flight (the IOTLB sync) before it returns.</summary>
    public void Unmap(ulong iova, ulong length, bool checkPairing)
    {
        lock (_lock)
        {
            UnmapLocked(iova, length, checkPairing);
        }

        WaitForDmaInFlight();
    }

    /// <summary>
    /// Starts one DMA transaction: until <see cref="EndDma"/>, translations it made stay backed, because an unmap
    /// does not return while a transaction is in flight. Transactions do not wait for each other.
    /// </summary>
    public void BeginDma()
    {
        lock (_dmaGate)
        {
            while (_unmapsWaiting > 0)
            {
                Monitor.Wait(_dmaGate);
            }

            _dmaInFlight++;
        }
    }

    /// <summary>Ends a DMA transaction started by <see cref="BeginDma"/>.</summary>
    public void EndDma()
    {
        lock (_dmaGate)
        {
            if (--_dmaInFlight == 0)
            {
                Monitor.PulseAll(_dmaGate);
            }
        }
    }

    /// <summary>The physical address, permissions and size of the entry at <paramref name="iova"/> (one walk), or null when unmapped.</summary>
    public (ulong Physical, bool Read, bool Write, ulong EntrySize)? Translate(ulong iova)
    {
        lock (_lock)
        {
            if (!FindEntry(iova, out var node, out var index, out var size))
            {
                return null;
            }

            var entry = node.Entries[index];
            return (Pte.Physical(entry) + (iova % size), Pte.Has(entry, Pte.Read), Pte.Has(entry, Pte.Write), size);
        }
    }

    /// <summary>Marks the entry mapping <paramref name="iova"/> dirty; false if unmapped.</summary>
    public bool MarkDirty(ulong iova)
    {
        lock (_lock)
        {
            Kernel.PhysicalMemory.Touch(1);
            if (!FindEntry(iova, out var node, out var index, out _))
            {
                return false;
            }

            node.Entries[index] |= Pte.Dirty;
            return true;
        }
    }

    /// <summary>
    /// read_and_clear_dirty: calls <paramref name="report"/> with every dirty entry's [start, size) inside
    /// [iova, iova + length), in ascending order, and clears the bit unless <paramref name="keep"/>. A report
    /// that returns false stops the walk and leaves that entry's bit set.
    /// </summary>
    public void ReadAndClearDirty(ulong iova, ulong length, bool keep, Func<ulong, ulong, bool> report)
    {
        Kernel.PhysicalMemory.Touch((long)(length / MinPageSize));
        lock (_lock)
        {
            var cursor = iova;
            var end = iova + length;
            while (cursor < end)
            {
                if (FindEntry(cursor, out var node, out var index, out var size))
                {
                    var start = cursor - (cursor % size);
                    if (Pte.Has(node.Entries[index], Pte.Dirty))
                    {
                        if (!report(start, size))
                        {
                            return;
                        }

                        if (!keep)
                        {
                            node.Entries[index] &= ~Pte.Dirty;
                        }
                    }

                    cursor = start + size;
                }
                else
                {
                    cursor += MinPageSize;
                }
            }
        }
    }

    /// <summary>
    /// The mapped IOVA of [iova, last] as ascending, merged runs. Only page-table nodes that exist are walked,
    /// so the cost follows what is mapped, not the size of the range.
    /// </summary>
    public List<(ulong Start, ulong Last)> MappedRuns(ulong iova, ulong last)
    {
        var runs = new List<(ulong Start, ulong Last)>();
        if (last < iova)
        {
            return runs;
        }

        lock (_lock)
        {
            CollectRuns(_root, Levels - 1, 0, iova, last, runs);
        }

        return runs;
    }

    /// <summary>Clears every dirty bit (enabling tracking starts from a clean snapshot).</summary>
    public void ClearAllDirty()
    {
        lock (_lock)
        {
            Visit(_root, Levels - 1, 0, (node, index, _, _) => node.Entries[index] &= ~Pte.Dirty);
        }
    }

    /// <summary>iommu_domain_free: a domain must be empty when freed.</summary>
    public void Free()
    {
        if (EntryCount != 0)
        {
            Kernel.Log.Warn($"domain freed with {EntryCount} entries still mapped");
        }
    }

    // The IOTLB sync: returns once every DMA transaction that began before it has ended.
    private void WaitForDmaInFlight()
    {
        lock (_dmaGate)
        {
            if (_dmaInFlight == 0)
            {
                return;
            }

            _unmapsWaiting++;
            try
            {
                while (_dmaInFlight > 0)
                {
                    Monitor.Wait(_dmaGate);
                }
            }
            finally
            {
                _unmapsWaiting--;
                Monitor.PulseAll(_dmaGate);
            }
        }
    }

    private ulong LargestPage(ulong iova, ulong physical, ulong remaining)
    {
        var best = MinPageSize;
        for (var bits = PageSizeBitmap; bits != 0; bits &= bits - 1)
        {
            var size = bits & (~bits + 1);
            if (size > best && size <= remaining && iova % size == 0 && physical % size == 0)
            {
                best = size;
            }
        }

        return best;
    }

    private int LevelOf(ulong size) => (System.Numerics.BitOperations.TrailingZeroCount(size) - _leafShift) / 9;

    private int IndexAt(ulong iova, int level) => (int)((iova >> (_leafShift + (9 * level))) % PageTableNode.Fanout);

    private ulong SizeAt(int level) => 1UL << (_leafShift + (9 * level));

    private bool SetEntry(ulong iova, ulong size, ulong entry)
    {
        var target = LevelOf(size);
        var node = _root;
        for (var level = Levels - 1; level > target; level--)
        {
            var index = IndexAt(iova, level);
            if (Pte.Has(node.Entries[index], Pte.Present))
            {
                return false;
            }

            node.Children ??= new PageTableNode?[PageTableNode.Fanout];
            if (node.Children[index] is not { } child)
            {
                child = new PageTableNode();
                node.Children[index] = child;
                node.Used++;
            }

            node = child;
        }

        var slot = IndexAt(iova, target);
        if (Pte.Has(node.Entries[slot], Pte.Present) || node.Children?[slot] is not null)
        {
            return false;
        }

        node.Entries[slot] = entry;
        node.Used++;
        Interlocked.Increment(ref _entries);
        return true;
    }

    private bool FindEntry(ulong iova, out PageTableNode node, out int index, out ulong size)
    {
        node = _root;
        for (var level = Levels - 1; level >= 0; level--)
        {
            index = IndexAt(iova, level);
            if (Pte.Has(node.Entries[index], Pte.Present))
            {
                size = SizeAt(level);
                return true;
            }

            if (node.Children?[index] is not { } child)
            {
                break;
            }

            node = child;
        }

        index = 0;
        size = 0;
        return false;
    }

    private void UnmapLocked(ulong iova, ulong length, bool checkPairing)
    {
        var checkMapPairing = checkPairing && (PageSizeBitmap & (PageSizeBitmap - 1)) == 0;
        Kernel.PhysicalMemory.Touch((long)(length / MinPageSize));
        var cursor = iova;
        var end = iova + length;
        var first = true;
        while (cursor < end)
        {
            if (!FindEntry(cursor, out var node, out var index, out var size))
            {
                cursor += MinPageSize;
                first = false;
                continue;
            }

            var entry = node.Entries[index];
            var start = cursor - (cursor % size);
            if (start < iova || start + size > end)
            {
                Kernel.Log.Warn($"domain unmap of [0x{iova:X}, +0x{length:X}) cuts a 0x{size:X} entry at 0x{start:X}");
            }

            // Without huge pages every unmap must start and end where a map call did (the mock's check).
            if (checkMapPairing && first && !Pte.Has(entry, Pte.Start))
            {
                Kernel.Log.Warn($"domain unmap at 0x{cursor:X} does not start where a map started");
            }

            if (checkMapPairing && start + size == end && !Pte.Has(entry, Pte.Last))
            {
                Kernel.Log.Warn($"domain unmap ending at 0x{end - 1:X} does not end where a map ended");
            }

            ClearEntry(cursor, size);
            first = false;
            cursor = start + size;
        }
    }

    private void ClearEntry(ulong iova, ulong size)
    {
        var target = LevelOf(size);
        var path = new (PageTableNode Node, int Index)[Levels];
        var node = _root;
        for (var level = Levels - 1; level > target; level--)
        {
            var index = IndexAt(iova, level);
            path[level] = (node, index);
            node = node.Children![index]!;
        }

        node.Entries[IndexAt(iova, target)] = 0;
        node.Used--;
        Interlocked.Decrement(ref _entries);

        // Free tables left empty, bottom up.
        for (var level = target + 1; level < Levels && node.Used == 0; level++)
        {
            var (parent, index) = path[level];
            parent.Children![index] = null;
            parent.Used--;
            node = parent;
        }
    }

    // The node covers [baseIova, ...] and intersects [iova, last]; only its entries inside the range are looked at.
    private void CollectRuns(PageTableNode node, int level, ulong baseIova, ulong iova, ulong last, List<(ulong Start, ulong Last)> runs)
    {
        Kernel.PhysicalMemory.Touch(1);
        var size = SizeAt(level);
        var first = iova > baseIova ? (int)Math.Min((iova - baseIova) / size, PageTableNode.Fanout) : 0;
        var final = (int)Math.Min((last - baseIova) / size, PageTableNode.Fanout - 1);
        for (var index = first; index <= final; index++)
        {
            var entryStart = baseIova + ((ulong)index * size);
            if (Pte.Has(node.Entries[index], Pte.Present))
            {
                var start = Math.Max(entryStart, iova);
                var end = Math.Min(entryStart + (size - 1), last);
                if (runs.Count > 0 && runs[^1].Last + 1 == start)
                {
                    runs[^1] = (runs[^1].Start, end);
                }
                else
                {
                    runs.Add((start, end));
                }
            }
            else if (node.Children?[index] is { } child)
            {
                CollectRuns(child, level - 1, entryStart, iova, last, runs);
            }
        }
    }

    private void Visit(PageTableNode node, int level, ulong baseIova, Action<PageTableNode, int, ulong, ulong> leaf)
    {
        for (var index = 0; index < PageTableNode.Fanout; index++)
        {
            var iova = baseIova + ((ulong)index * SizeAt(level));
            if (Pte.Has(node.Entries[index], Pte.Present))
            {
                leaf(node, index, iova, SizeAt(level));
            }
            else if (node.Children?[index] is { } child)
            {
                Visit(child, level - 1, iova, leaf);
            }
        }
    }
}
