namespace IommuContracts.Engine.Host;

/// <summary>Hands out page frame numbers: single pages for normal mappings, aligned runs of 512 for 2 MiB huge pages.</summary>
internal sealed class PhysicalMemory
{
    public const int HugePagePages = 512;

    private long _nextPfn = 0x10_0000;

    public UserPage AllocatePage() => new((ulong)Interlocked.Increment(ref _nextPfn), compound: false);

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
            pages[i] = new UserPage((ulong)(first + i), compound: true);
        }

        return pages;
    }
}
