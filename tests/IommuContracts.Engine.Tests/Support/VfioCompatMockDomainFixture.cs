using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>vfio_compat_mock_domain</c> fixture: an IOAS with a mock device (what VFIO would
/// consider a group), made the VFIO compatibility IOAS with IOMMU_VFIO_IOAS SET, then VFIO_SET_IOMMU with the
/// variant's IOMMU type. Teardown is the base teardown (close, reopen, MD_CHECK_REFS == 0, no WARN).
/// </summary>
public abstract class VfioCompatMockDomainFixture : IommufdFixture
{
    /// <summary>VFIO_SET_IOMMU = _IO(VFIO_TYPE, VFIO_BASE + 2).</summary>
    public const uint VfioSetIommu = 0x3B66;

    protected VfioCompatMockDomainFixture(ulong version)
    {
        Version = version;
        Ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out _, out _));

        var compat = Ioas;
        Assert.Equal(Errno.None, File.VfioIoas(IommuVfioIoasOp.Set, ref compat));
        Assert.Equal(0, Ioctl(VfioSetIommu, version));
    }

    /// <summary>variant->version: VFIO_TYPE1v2_IOMMU or VFIO_TYPE1_IOMMU.</summary>
    public ulong Version { get; }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }
}
