using IommuContracts.Engine.Core;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// What the selftest mock device keeps besides its flags (struct mock_dev): the device cache a vIOMMU
/// invalidates, the vIOMMU and virtual ID of its nested attachment (for its vEVENTs), and the PASID 1024
/// fake-error toggle.
/// </summary>
internal sealed class MockDeviceState
{
    public MockDeviceState() => Array.Fill(Cache, SelftestConstants.TestDevCacheDefault);

    /// <summary>mdev->viommu_rwsem.</summary>
    public object Lock { get; } = new();

    /// <summary>mdev->cache: MOCK_DEV_CACHE_NUM entries, IOMMU_TEST_DEV_CACHE_DEFAULT until invalidated.</summary>
    public uint[] Cache { get; } = new uint[SelftestConstants.MockDevCacheNum];

    /// <summary>The vIOMMU of the nested HWPT the device is attached to, or null.</summary>
    public Viommu? Viommu { get; set; }

    /// <summary>The device's virtual ID in <see cref="Viommu"/> (0: none).</summary>
    public ulong VdevId { get; set; }

    /// <summary>mdev->pasid_1024_fake_error: the next attach of PASID 1024 to a non-blocking domain fails ENOMEM.</summary>
    public bool Pasid1024FakeError { get; set; }
}
