using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A paging HWPT: a domain that mirrors its IOAS. Automatic ones (created by attaching to an IOAS) are shared
/// by compatible devices and die with their last device; ones from IOMMU_HWPT_ALLOC are never picked
/// automatically and live until DESTROY.
/// </summary>
[IommufdObject(typeof(HwptId), Kind = 2)]
internal sealed partial class HwptPaging : HwPageTable
{
    public HwptPaging(IommufdContext context, Ioas ioas, PagingDomain domain, bool nestParent)
        : base(context)
    {
        Ioas = ioas;
        Domain = domain;
        NestParent = nestParent;
    }

    public Ioas Ioas { get; }

    public PagingDomain Domain { get; }

    public bool NestParent { get; }

    public bool AutoDomain { get; set; }

    /// <summary>In the IOAS's HWPT list, with its domain added to the io_pagetable.</summary>
    public bool InIoasList { get; set; }

    public override PagingDomain TranslatingDomain => Domain;

    public override HwptPaging PagingParent => this;

    /// <summary>iommufd_hwpt_paging_destroy: out of the IOAS (unmapping and unpinning), domain freed, IOAS reference dropped.</summary>
    internal void Destroy()
    {
        if (InIoasList)
        {
            lock (Ioas.Mutex)
            {
                Ioas.RemoveHwpt(this);
            }

            Ioas.Iopt.RemoveDomain(Domain);
            InIoasList = false;
        }

        Domain.Free();
        ReleaseFault();
        Ioas.DropUser();
    }

    /// <summary>iommufd_hwpt_paging_abort: the creator holds the IOAS mutex until finalize or abort.</summary>
    internal void Abort()
    {
        if (InIoasList)
        {
            Ioas.RemoveHwpt(this);
            Ioas.Iopt.RemoveDomain(Domain);
            InIoasList = false;
        }

        Domain.Free();
        ReleaseFault();
        Ioas.DropUser();
    }
}
