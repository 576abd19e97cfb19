using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A nested HWPT on a nesting-parent paging HWPT. The simulated stage 1 is the mock driver's: a 4-entry IOTLB
/// that invalidations clear; DMA is translated by the parent's domain.
/// </summary>
[IommufdObject(typeof(HwptId), Kind = 3)]
internal sealed partial class HwptNested : HwPageTable
{
    public HwptNested(IommufdContext context, HwptPaging parent, uint iotlb)
        : base(context)
    {
        Parent = parent;
        Array.Fill(Iotlb, iotlb);
    }

    public HwptPaging Parent { get; }

    /// <summary>The mock nested domain's IOTLB entries (MOCK_NESTED_DOMAIN_IOTLB_NUM).</summary>
    public uint[] Iotlb { get; } = new uint[IommuContracts.Uapi.SelftestConstants.MockNestedDomainIotlbNum];

    public override PagingDomain TranslatingDomain => Parent.Domain;

    public override HwptPaging PagingParent => Parent;

    /// <summary>iommufd_hwpt_nested_destroy: the fault queue's user and the parent's go.</summary>
    internal void Destroy()
    {
        ReleaseFault();
        Parent.DropUser();
    }
}
