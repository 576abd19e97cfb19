using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>iommufd_ioas</c> fixture for any variant: one IOAS, the variant's temporary
/// memory limit, then <see cref="MockDomains"/> mock devices attached to the IOAS (each MOCK_DOMAIN
/// overwrites <see cref="StdevId"/>, <see cref="HwptId"/> and <see cref="DeviceId"/>, so they name the
/// last one, as in the kernel), and with <see cref="PasidCapable"/> one more mock device with
/// MOCK_FLAGS_DEVICE_PASID (newest <c>mock_domain</c> variant). <see cref="IommufdIoasFixture.BaseIova"/>
/// is MOCK_APERTURE_START once a domain exists.
/// </summary>
/// <remarks>
/// The kernel setup also runs test_cmd_dev_check_cache_all(device_id, IOMMU_TEST_DEV_CACHE_DEFAULT) after
/// each MOCK_DOMAIN; IOMMU_TEST_OP_DEV_CHECK_CACHE (vIOMMU device caches) is not modelled by the engine,
/// so that check is left out.
/// </remarks>
public abstract class IommufdIoasDomainFixture : IommufdIoasFixture
{
    protected IommufdIoasDomainFixture(int mockDomains, uint memoryLimit = 0, bool pasidCapable = false)
    {
        MockDomains = mockDomains;
        PasidCapable = pasidCapable;

        // The base fixture already set the default limit (test_ioctl_set_default_memory_limit).
        if (memoryLimit != 0)
        {
            Assert.Equal(Errno.None, SetTempMemoryLimit(memoryLimit));
        }

        for (var i = 0; i != mockDomains; i++)
        {
            Assert.Equal(Errno.None, MockDomain(Ioas, out var stdev, out var hwpt, out var device));
            StdevId = stdev;
            HwptId = hwpt;
            DeviceId = device;
            BaseIova = SelftestConstants.MockApertureStart;
        }

        if (pasidCapable)
        {
            Assert.Equal(Errno.None, MockDomain(Ioas, out _, out _, out var pasidDevice, MockDeviceFlags.Pasid));
            DevicePasidId = pasidDevice;
        }
    }

    /// <summary>variant->mock_domains.</summary>
    public int MockDomains { get; }

    /// <summary>variant->pasid_capable.</summary>
    public bool PasidCapable { get; }

    /// <summary>self->stdev_id (0 without a mock domain).</summary>
    public SelftestId StdevId { get; }

    /// <summary>self->hwpt_id.</summary>
    public HwptId HwptId { get; }

    /// <summary>self->device_id.</summary>
    public DeviceId DeviceId { get; }

    /// <summary>self->device_pasid_id.</summary>
    public DeviceId DevicePasidId { get; }
}
