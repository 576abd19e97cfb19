using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>iommufd_viommu</c> fixture: an IOAS and the default memory limit, and for the
/// <c>mock_viommu</c> variant a mock device on the IOAS, a nesting-parent HWPT, a selftest vIOMMU on it and a
/// nested HWPT on the vIOMMU (selftest data, IOTLB default).
/// </summary>
public abstract class IommufdViommuFixture : IommufdIoasFixture
{
    /// <summary>sizeof(struct iommu_hwpt_selftest) in the newest header.</summary>
    public const uint HwptSelftestSize = 8;

    protected IommufdViommuFixture(bool viommu)
    {
        if (!viommu)
        {
            return;
        }

        Assert.Equal(Errno.None, MockDomain(Ioas, out var stdev, out _, out var device));
        StdevId = stdev;
        DeviceId = device;

        // A nesting parent, then a vIOMMU on it taking a user of the parent.
        Assert.Equal(Errno.None, HwptAlloc(device, Ioas, IommuHwptAllocFlags.NestParent, out var parent));
        HwptId = parent;
        Assert.Equal(Errno.None, ViommuAlloc(device, parent, IommuViommuType.Selftest, 0, 0, out var viommuId));
        ViommuId = viommuId;

        // A regular nested HWPT on the vIOMMU.
        SelftestData = new UserBuffer(Host, PageSize);
        SelftestData.U32(0, SelftestConstants.TestIotlbDefault);
        Assert.Equal(Errno.None, HwptAlloc(device, viommuId, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, SelftestData.Address, HwptSelftestSize, out var nested));
        NestedHwptId = nested;
    }

    /// <summary>self->stdev_id (0 for no_viommu).</summary>
    public SelftestId StdevId { get; }

    /// <summary>self->device_id (0 for no_viommu).</summary>
    public DeviceId DeviceId { get; }

    /// <summary>self->hwpt_id: the nesting parent.</summary>
    public HwptId HwptId { get; }

    /// <summary>self->viommu_id.</summary>
    public ViommuId ViommuId { get; protected set; }

    /// <summary>self->nested_hwpt_id: the nested HWPT on the vIOMMU.</summary>
    public HwptId NestedHwptId { get; }

    /// <summary>A struct iommu_hwpt_selftest with the default IOTLB value (mock_viommu only).</summary>
    public UserBuffer? SelftestData { get; }
}
