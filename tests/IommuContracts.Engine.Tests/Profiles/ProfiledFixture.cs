using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// The selftests' setup (a root process, /dev/iommu, the global buffer) on a machine running the named profile,
/// with an IOAS and, on request, a mock device attached to it.
/// </summary>
public sealed class ProfiledFixture : IommufdFixture
{
    public ProfiledFixture(string profile, bool mockDevice = true)
        : base(SimulatedProcessHost.Root(KernelProfile.Find(profile) ?? throw new ArgumentException(profile)))
    {
        Profile = KernelProfile.Find(profile)!;
        Ioas = AllocIoas();
        if (mockDevice)
        {
            Assert.Equal(Errno.None, MockDomain(Ioas, out var stdev, out var hwpt, out var device));
            Stdev = stdev;
            AutoHwpt = hwpt;
            Device = device;
        }
    }

    public KernelProfile Profile { get; }

    public bool Is612 => Profile == KernelProfile.Linux612;

    public IoasId Ioas { get; }

    public SelftestId Stdev { get; }

    public HwptId AutoHwpt { get; }

    public DeviceId Device { get; }

    /// <summary>A page holding iommu_hwpt_selftest: iotlb, then pagetable_type.</summary>
    public ulong SelftestData(uint iotlb, uint pagetableType = 0)
    {
        var address = Host.Mmap(PageSize);
        WriteUser(address, BitConverter.GetBytes(iotlb));
        WriteUser(address + 4, BitConverter.GetBytes(pagetableType));
        return address;
    }
}
