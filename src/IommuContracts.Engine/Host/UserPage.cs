namespace IommuContracts.Engine.Host;

/// <summary>
/// One 4 KiB page of simulated physical memory. Bytes are allocated on first write (reads of an untouched
/// page see zeros), so mapping gigabytes costs nothing until touched. Pins keep the page alive after the
/// process unmaps it, as pinned pages do in Linux.
/// </summary>
public sealed class UserPage
{
    private byte[]? _data;
    private int _pins;

    private readonly PhysicalMemory _memory;

    internal UserPage(PhysicalMemory memory, ulong pfn, bool compound)
    {
        _memory = memory;
        Pfn = pfn;
        IsCompound = compound;
    }

    /// <summary>The page frame number: its identity as physical memory (phys = Pfn * 4096).</summary>
    public ulong Pfn { get; }

    /// <summary>The page's physical address, <see cref="Pfn"/> × 4096.</summary>
    public ulong PhysicalAddress => Pfn * SimulatedProcess.PageSize;

    /// <summary>Part of a huge (compound) page; MD_CHECK_REFS skips these, as the kernel does.</summary>
    public bool IsCompound { get; }

    /// <summary>How many times the page is pinned (what MD_CHECK_REFS reads).</summary>
    public int PinCount => Volatile.Read(ref _pins);

    /// <summary>Pins the page; a pinned page is reachable by physical address (what IOMMU mappings point at).</summary>
    internal void Pin()
    {
        if (Interlocked.Increment(ref _pins) == 1)
        {
            _memory.Register(this);
        }
    }

    internal void Unpin()
    {
        var left = Interlocked.Decrement(ref _pins);
        if (left < 0)
        {
            throw new InvalidOperationException($"page {Pfn:X} unpinned more often than pinned");
        }

        if (left == 0)
        {
            _memory.Unregister(this);
        }
    }

    internal void Read(int offset, Span<byte> destination)
    {
        var data = Volatile.Read(ref _data);
        if (data is null)
        {
            destination.Clear();
        }
        else
        {
            data.AsSpan(offset, destination.Length).CopyTo(destination);
        }
    }

    internal void Write(int offset, ReadOnlySpan<byte> source)
    {
        var data = Volatile.Read(ref _data) ?? InitializeData();
        source.CopyTo(data.AsSpan(offset, source.Length));
    }

    private byte[] InitializeData()
    {
        Interlocked.CompareExchange(ref _data, new byte[SimulatedProcess.PageSize], null);
        return _data!;
    }
}
