using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// Automatic domains (kernel spec §4.1 attach to an IOAS, §7; K25, K26; seed (d)): shared by compatible
/// devices of one IOAS, reported as a HWPT ID, destroyed with their last device; manual HWPTs never picked.
/// </summary>
public class AutoDomainTests
{
    [Fact]
    public void Compatible_devices_share_one_automatic_domain_which_dies_with_the_last_device()
    {
        var host = new KapiHost();
        var first = host.Bind(host.AddDevice());
        var second = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();

        var hwpt = host.Attach(first, ioas);
        Assert.True(hwpt.IsValid);
        Assert.NotEqual((ObjectId)ioas, (ObjectId)hwpt);
        var shared = host.Attach(second, ioas);

        Assert.Equal(hwpt, shared);
        var paging = host.HwptObject(hwpt);
        Assert.True(paging.AutoDomain);
        Assert.Same(host.IoasObject(ioas), paging.Ioas);
        Assert.Single(host.IoasObject(ioas).Hwpts);
        Assert.Equal(1 + 2, paging.Users);
        Assert.Equal(1 + 1, host.IoasObject(ioas).Users);

        // While a device uses it neither the HWPT nor its IOAS can be destroyed.
        Assert.Equal(Errno.EBUSY, host.Destroy(hwpt));
        Assert.Equal(Errno.EBUSY, host.Destroy(ioas));

        Iommufd.DeviceDetach(first);
        Assert.Equal(2, host.HwptObject(hwpt).Users);
        Assert.Equal(Errno.EBUSY, host.Destroy(hwpt));

        Iommufd.DeviceDetach(second);
        Assert.Null(host.Object(hwpt));
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Assert.Empty(host.IoasObject(ioas).Iopt.Domains);
        Assert.Equal(1, host.IoasObject(ioas).Users);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(second);
        Assert.True(host.Context.Objects.IsEmpty);
        host.AssertNoWarnings();
    }

    [Fact]
    public void An_automatic_domain_maps_every_area_of_its_ioas()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(3 * KapiHost.PageSize, 0x42);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, 3 * KapiHost.PageSize, 0x10_0000));
        var idev = host.Bind(host.AddDevice());

        var hwpt = host.Attach(idev, ioas);

        var domain = host.HwptObject(hwpt).Domain;
        for (ulong offset = 0; offset < 3 * KapiHost.PageSize; offset += KapiHost.PageSize)
        {
            var translated = domain.Translate(0x10_0000 + offset);
            Assert.NotNull(translated);
            Assert.True(translated.Value.Read && translated.Value.Write);
        }

        Assert.Equal(1, host.Process.PinCount(buffer));
        Iommufd.DeviceDetach(idev);
        Assert.Equal(0, host.Process.PinCount(buffer));
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void Incompatible_devices_get_separate_automatic_domains_on_one_ioas()
    {
        var host = new KapiHost();
        var first = host.Bind(host.AddDevice());
        var other = host.Bind(host.AddDevice(iommu: IommuInstance.RealLooking("dmar1")));
        var ioas = host.AllocIoas();

        var firstHwpt = host.Attach(first, ioas);
        var otherHwpt = host.Attach(other, ioas);

        Assert.NotEqual(firstHwpt, otherHwpt);
        Assert.Equal(2, host.IoasObject(ioas).Hwpts.Count);
        Assert.Equal(2, host.HwptObject(firstHwpt).Users);
        Assert.Equal(2, host.HwptObject(otherHwpt).Users);
        Assert.Equal(3, host.IoasObject(ioas).Users);

        Iommufd.DeviceDetach(first);
        Assert.Equal(Errno.ENOENT, host.Destroy(firstHwpt));
        Assert.Equal(Errno.EBUSY, host.Destroy(otherHwpt));
        Iommufd.DeviceDetach(other);
        Assert.Equal(Errno.ENOENT, host.Destroy(otherHwpt));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(other);
        host.AssertNoWarnings();
    }

    // ---- K25 ----

    [Fact]
    public void K25_a_manually_allocated_hwpt_is_never_picked_automatically()
    {
        var host = new KapiHost();
        var first = host.Bind(host.AddDevice());
        var second = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var manual = host.AllocHwpt(first.Id, ioas);
        Assert.False(host.HwptObject(manual).AutoDomain);

        var automatic = host.Attach(first, ioas);
        Assert.NotEqual(manual, automatic);
        Assert.True(host.HwptObject(automatic).AutoDomain);
        Assert.Equal(automatic, host.Attach(second, ioas));
        Assert.Equal(1, host.HwptObject(manual).Users);
        Assert.Equal(2, host.IoasObject(ioas).Hwpts.Count);

        // Fixed: a manual HWPT is used when named.
        Iommufd.DeviceDetach(second);
        Assert.Equal(manual, host.Attach(second, manual));
        Assert.Equal(2, host.HwptObject(manual).Users);

        Iommufd.DeviceDetach(first);
        Assert.Equal(Errno.ENOENT, host.Destroy(automatic));
        Iommufd.DeviceDetach(second);

        // The manual HWPT outlives its devices until DESTROY.
        Assert.Equal(1, host.HwptObject(manual).Users);
        Assert.Equal(Errno.EBUSY, host.Destroy(ioas));
        Assert.Equal(Errno.None, host.Destroy(manual));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(second);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K25_an_automatic_hwpt_cannot_be_a_nesting_parent()
    {
        var fixture = new IommufdFixture();
        Assert.Equal(Errno.None, fixture.File.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        Assert.Equal(Errno.None, fixture.MockDomain(ioas, out var stdev, out var automatic, out var idev));
        var data = NestedData(fixture, 0xbadbeef);

        Assert.Equal(Errno.EINVAL, fixture.File.HwptAlloc(IommuHwptAllocFlags.None, idev, automatic, IommuHwptDataType.Selftest, 4, data, default, out var nested));
        Assert.False(nested.IsValid);

        // Fixed: a manual NEST_PARENT HWPT can carry a nested one.
        Assert.Equal(Errno.None, fixture.File.HwptAlloc(IommuHwptAllocFlags.NestParent, idev, ioas, IommuHwptDataType.None, 0, 0, default, out var parent));
        Assert.Equal(Errno.None, fixture.File.HwptAlloc(IommuHwptAllocFlags.None, idev, parent, IommuHwptDataType.Selftest, 4, data, default, out nested));
        Assert.Equal(Errno.EBUSY, fixture.File.Destroy(parent));
        Assert.Equal(Errno.None, fixture.File.Destroy(nested));
        Assert.Equal(Errno.None, fixture.File.Destroy(parent));
        Assert.Equal(Errno.None, fixture.File.Destroy(stdev));
        Assert.Equal(Errno.ENOENT, fixture.File.Destroy(automatic));
        Assert.Equal(Errno.None, fixture.File.Destroy(ioas));
        fixture.Dispose();
    }

    // ---- K26 ----

    [Fact]
    public void K26_an_automatic_hwpt_named_by_id_shares_the_automatic_lifetime()
    {
        var host = new KapiHost();
        var first = host.Bind(host.AddDevice());
        var second = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var automatic = host.Attach(first, ioas);

        // Attaching another device by the automatic HWPT's ID is allowed…
        Assert.Equal(automatic, host.Attach(second, automatic));
        Assert.Equal(3, host.HwptObject(automatic).Users);

        // …and keeps it alive only while some device uses it.
        Iommufd.DeviceDetach(first);
        Assert.NotNull(host.Object(automatic));
        Iommufd.DeviceDetach(second);
        Assert.Null(host.Object(automatic));

        // Code that assumed it persists gets ENOENT for the stale ID.
        Assert.Equal(Errno.ENOENT, Iommufd.DeviceAttach(first, automatic, out _));
        Assert.False(first.IsAttached);

        // Fixed: attach to the IOAS again and use the HWPT ID returned now.
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(first, ioas, out var hwpt));
        Assert.True(host.HwptObject(hwpt).AutoDomain);
        Iommufd.DeviceDetach(first);
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(second);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    private static ulong NestedData(IommufdFixture fixture, uint iotlb)
    {
        var va = fixture.Process.Mmap(KapiHost.PageSize);
        Assert.Equal(Errno.None, fixture.Process.Write(va, BitConverter.GetBytes(iotlb)));
        return va;
    }
}
