namespace IommuContracts.Engine.Host;

/// <summary>
/// Hands out page frame numbers (single pages, or aligned runs of 512 for 2 MiB huge pages) and finds pinned
/// pages by physical address, which is how device DMA reaches memory through an IOMMU mapping.
/// </summary>
internal sealed class PhysicalMemory
{
    public const int HugePagePages = 512;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, UserPage> _pinned = new();
    private long _nextPfn = 0x10_0000;

    public UserPage AllocatePage() => new(this, (ulong)Interlocked.Increment(ref _nextPfn), compound: false);

    /// <summary>The pinned page at physical address <paramref name="physical"/>, if any.</summary>
    public UserPage? PinnedPageAt(ulong physical) => _pinned.GetValueOrDefault(physical / SimulatedProcess.PageSize);

    internal void Register(UserPage page) => _pinned[page.Pfn] = page;

    internal void Unregister(UserPage page) => _pinned.TryRemove(page.Pfn, out _);

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
