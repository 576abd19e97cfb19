using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A nested HWPT on a nesting-parent paging HWPT, or on a vIOMMU (whose nesting parent it then uses). The
/// simulated stage 1 is the mock driver's: a 4-entry IOTLB that invalidations clear; DMA is translated by the
/// parent's domain. It holds a user on the vIOMMU if it has one, else on the parent.
/// </summary>
[IommufdObject(typeof(HwptId), Kind = 3)]
internal sealed partial class HwptNested : HwPageTable
{
    public HwptNested(IommufdContext context, HwptPaging parent, uint iotlb, Viommu? viommu = null)
        : base(context)
    {
        Parent = parent;
        Viommu = viommu;
        Array.Fill(Iotlb, iotlb);
    }

    public HwptPaging Parent { get; }

    /// <summary>The vIOMMU the HWPT was allocated on (its devices need a vDEVICE there to attach), or null.</summary>
    public Viommu? Viommu { get; }

    /// <summary>The mock nested domain's IOTLB entries (MOCK_NESTED_DOMAIN_IOTLB_NUM).</summary>
    public uint[] Iotlb { get; } = new uint[IommuContracts.Uapi.SelftestConstants.MockNestedDomainIotlbNum];

    public override PagingDomain TranslatingDomain => Parent.Domain;

    public override HwptPaging PagingParent => Parent;

    /// <summary>iommufd_hwpt_nested_destroy: the fault queue's user and the vIOMMU's (or the parent's) go.</summary>
    internal void Destroy()
    {
        ReleaseFault();
        if (Viommu is not null)
        {
            Viommu.DropUser();
        }
        else
        {
            Parent.DropUser();
        }
    }
}
