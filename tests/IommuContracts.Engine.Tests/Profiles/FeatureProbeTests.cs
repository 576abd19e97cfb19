using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// A VMM written to run on the kernels its users have: it probes for what it would like to use and falls back
/// when the kernel answers that it does not know it. The same code ends with a working setup on 6.12 and on the
/// newest kernel, taking a different path on each.
/// </summary>
public class FeatureProbeTests
{
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void A_vmm_probing_for_a_viommu_falls_back_to_a_plain_nested_hwpt(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        var vmm = new NestingVmm(fixture);

        var setup = vmm.SetUpNesting();

        // 6.12 has no IOMMU_VIOMMU_ALLOC at all; the newest decodes the command and the driver answers for itself.
        Assert.Equal(fixture.Is612 ? Errno.ENOTTY : Errno.EOPNOTSUPP, setup.ViommuProbe);
        Assert.Equal(fixture.Is612 ? "nested HWPT on a nesting parent (no vIOMMU ioctl)" : "nested HWPT on a nesting parent (no vIOMMU for this IOMMU)", setup.Path);

        // Either way the guest's DMA works through the nesting parent: the stage-2 mapping is in place.
        var guestRam = fixture.Host.Mmap(4 * IommufdFixture.PageSize);
        fixture.WriteUser(guestRam, new byte[4 * IommufdFixture.PageSize]);
        Assert.Equal(Errno.None, fixture.MapFixed(fixture.Ioas, guestRam, 4 * IommufdFixture.PageSize, SelftestConstants.MockApertureStart));
        Assert.Equal(Errno.None, fixture.CheckMap(setup.Parent, SelftestConstants.MockApertureStart, 4 * IommufdFixture.PageSize, guestRam));
        Assert.Equal(Errno.None, fixture.CheckIotlb(setup.Nested, 0, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, fixture.Unmap(fixture.Ioas, SelftestConstants.MockApertureStart, 4 * IommufdFixture.PageSize, out _));
        Assert.Equal(Errno.None, fixture.ReplaceMockDevice(fixture.Stdev, fixture.Ioas));
        Assert.Equal(Errno.None, fixture.File.Destroy(setup.Nested));
        Assert.Equal(Errno.None, fixture.File.Destroy(setup.Parent));
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void A_vmm_asking_for_a_hw_info_type_retries_without_the_flag(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        var vmm = new NestingVmm(fixture);

        var (first, type) = vmm.ReadHwInfoType(IommuHwInfoType.Selftest);

        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.None, first);
        Assert.Equal(IommuHwInfoType.Selftest, type);
    }

    /// <summary>The VMM's probing logic, as a VMM author writes it against the typed stubs.</summary>
    private sealed class NestingVmm(ProfiledFixture fixture)
    {
        public sealed record Nesting(Errno ViommuProbe, string Path, HwptId Parent, HwptId Nested);

        public Nesting SetUpNesting()
        {
            Assert.Equal(Errno.None, fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.NestParent, out var parent));

            // Ask for a vIOMMU first: ENOTTY means the kernel predates vIOMMUs, EOPNOTSUPP that this IOMMU has none.
            var probe = fixture.File.ViommuAlloc(IommuViommuAllocFlags.None, IommuViommuType.Selftest, fixture.Device, parent, 0, 0, out var viommu);
            var path = probe switch
            {
                Errno.None => "vIOMMU",
                Errno.ENOTTY => "nested HWPT on a nesting parent (no vIOMMU ioctl)",
                Errno.EOPNOTSUPP => "nested HWPT on a nesting parent (no vIOMMU for this IOMMU)",
                _ => throw new InvalidOperationException($"IOMMU_VIOMMU_ALLOC failed: {probe}"),
            };

            ObjectId nestOn = probe == Errno.None ? viommu : parent;
            var data = fixture.SelftestData(SelftestConstants.TestIotlbDefault);
            Assert.Equal(Errno.None, fixture.HwptAlloc(fixture.Device, nestOn, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data, 4, out var nested));
            Assert.Equal(Errno.None, fixture.ReplaceMockDevice(fixture.Stdev, nested));
            return new Nesting(probe, path, parent, nested);
        }

        /// <summary>Asks for a specific hw_info type; a kernel without INPUT_TYPE refuses the flag, so ask for the default.</summary>
        public (Errno First, IommuHwInfoType Type) ReadHwInfoType(IommuHwInfoType wanted)
        {
            uint length = 0;
            var type = wanted;
            var first = fixture.File.GetHwInfo(IommuHwInfoFlags.InputType, fixture.Device, 0, ref length, ref type, out _, out _);
            if (first == Errno.EOPNOTSUPP)
            {
                type = IommuHwInfoType.Default;
                Assert.Equal(Errno.None, fixture.File.GetHwInfo(IommuHwInfoFlags.None, fixture.Device, 0, ref length, ref type, out _, out _));
            }

            return (first, type);
        }
    }
}
