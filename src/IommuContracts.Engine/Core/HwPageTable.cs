namespace IommuContracts.Engine.Core;

/// <summary>A hardware page table object: paging (owns a domain over an IOAS) or nested (on a nesting parent).</summary>
internal abstract partial class HwPageTable : IommufdObject
{
    protected HwPageTable(IommufdContext context)
        : base(context)
    {
    }

    /// <summary>The paging domain DMA is translated through (a nested HWPT's parent's).</summary>
    public abstract Iommu.PagingDomain TranslatingDomain { get; }

    /// <summary>The paging HWPT whose IOAS this HWPT's translation comes from.</summary>
    public abstract HwptPaging PagingParent { get; }
}
