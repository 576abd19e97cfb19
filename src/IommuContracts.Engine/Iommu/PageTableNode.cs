namespace IommuContracts.Engine.Iommu;

/// <summary>One table of the radix page table: 512 entries, each a leaf (possibly huge) PTE or a child table.</summary>
internal sealed class PageTableNode
{
    public const int Fanout = 512;

    public ulong[] Entries { get; } = new ulong[Fanout];

    public PageTableNode?[]? Children { get; set; }

    /// <summary>Present leaf entries and non-empty children; lets empty tables be freed.</summary>
    public int Used { get; set; }
}
