namespace IommuContracts.Engine.Iommu;

/// <summary>Which translation a group's DMA goes through right now.</summary>
internal sealed class GroupDomain
{
    private GroupDomain(string name, PagingDomain? paging)
    {
        Name = name;
        Paging = paging;
    }

    /// <summary>The kernel DMA API's default domain (before any bind).</summary>
    public static GroupDomain DmaApi { get; } = new("dma-api", null);

    /// <summary>The blocking domain: all DMA faults (bound, not attached).</summary>
    public static GroupDomain Blocked { get; } = new("blocked", null);

    public string Name { get; }

    /// <summary>The paging domain (also the translating parent of a nested domain).</summary>
    public PagingDomain? Paging { get; }

    public static GroupDomain Of(PagingDomain paging) => new("paging", paging);

    public override string ToString() => Name;
}
