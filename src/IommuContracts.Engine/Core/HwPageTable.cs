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

    /// <summary>hwpt->pasid_compat: allocated with IOMMU_HWPT_ALLOC_PASID, so PASIDs may attach to it.</summary>
    public bool PasidCompat { get; set; }

    /// <summary>The fault queue its devices' I/O page faults go to (FAULT_ID_VALID); the HWPT holds a user on it.</summary>
    public FaultQueue? Fault { get; private set; }

    /// <summary>Routes this HWPT's page faults to <paramref name="fault"/> (the domain gets an iopf handler).</summary>
    public void SetFault(FaultQueue fault)
    {
        fault.AddUser();
        Fault = fault;
    }

    /// <summary>The part of __iommufd_hwpt_destroy every HWPT kind shares: the fault queue's user goes.</summary>
    protected void ReleaseFault()
    {
        Fault?.DropUser();
        Fault = null;
    }
}
