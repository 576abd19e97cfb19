using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// A device's reserved regions in the IOAS it is attached to (kernel spec §4.1 attach/replace/detach, §6
/// fixes 7 and 8; K23; seed (c) and (e)): inserted on attach, removed on every detach, moved on replace,
/// and on any failure the IOAS is exactly as before.
/// </summary>
public class ReservedRegionTests
{
    private const ulong MsiWindow = 0x0800_0000;
    private const ulong MsiLength = 0x10_0000;
    private const ulong MappedIova = 0x1000_0000;
    private const ulong TestReserved = 0x2000_0000;

    private static ReservedRegion Msi => new(MsiWindow, MsiLength, ReservedRegionKind.SoftwareMsi);

    // ---- seed (c): EADDRINUSE leaves the IOAS exactly as before ----

    [Fact]
    public void Reserved_region_over_a_mapping_is_EADDRINUSE_and_the_ioas_is_exactly_as_before()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(4 * KapiHost.PageSize, 0x5A);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, 4 * KapiHost.PageSize, MappedIova));
        Assert.Equal(Errno.None, host.AddReserved(ioas, TestReserved, 0x1000));

        // A is attached first and reserves the MSI window.
        var a = host.AddDevice(reserved: Msi);
        var aIdev = host.Bind(a);
        var hwpt = host.Attach(aIdev, ioas);

        // B reserves the same MSI window (fine: reserved over reserved), another range, then one that
        // collides with the mapping: the first two must be undone, once, and only B's.
        var b = host.AddDevice(reserved:
        [
            Msi,
            new ReservedRegion(0x3000_0000, 0x1000, ReservedRegionKind.Reserved),
            new ReservedRegion(MappedIova + 0x2000, 0x1000, ReservedRegionKind.Direct),
        ]);
        var bIdev = host.Bind(b);
        var before = host.IovaRanges(ioas);
        var users = host.HwptObject(hwpt).Users;

        Assert.Equal(Errno.EADDRINUSE, Iommufd.DeviceAttach(bIdev, ioas, out var refused));

        Assert.Equal(before, host.IovaRanges(ioas));
        Assert.Equal(0, host.ReservedBy(ioas, b));
        Assert.Equal(1, host.ReservedBy(ioas, a));
        Assert.Equal(1, host.IoasObject(ioas).Iopt.ReservedCount(IommuContracts.Engine.IoPageTable.IoPageTable.NoOwner));
        Assert.True(host.IsReserved(ioas, MsiWindow, MsiWindow + MsiLength - 1));
        Assert.True(host.IsReserved(ioas, TestReserved, TestReserved + 0xFFF));
        Assert.False(host.IsReserved(ioas, 0x3000_0000, 0x3000_0FFF));
        Assert.False(bIdev.IsAttached);
        Assert.Equal(users, host.HwptObject(hwpt).Users);
        Assert.Single(host.IoasObject(ioas).Hwpts);
        Assert.Equal(HwptId.None, refused);

        // The mapping is untouched and still reaches memory through A.
        Assert.Null(a.DmaWrite(MappedIova + 0x2000, [1, 2, 3, 4]));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, host.ReadMemory(buffer + 0x2000, 4));

        // A detaching removes exactly A's range; the test reservation stays.
        Iommufd.DeviceDetach(aIdev);
        Assert.Equal(0, host.ReservedBy(ioas, a));
        Assert.False(host.IsReserved(ioas, MsiWindow, MsiWindow));
        Assert.True(host.IsReserved(ioas, TestReserved, TestReserved + 0xFFF));
        Assert.Equal(new[] { (0UL, TestReserved - 1), (TestReserved + 0x1000, ulong.MaxValue) }, host.IovaRanges(ioas));
        Iommufd.DeviceUnbind(aIdev);
        Iommufd.DeviceUnbind(bIdev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Failing_first_device_on_a_fresh_ioas_leaves_no_domain_and_no_aperture_hole()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(KapiHost.PageSize);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, KapiHost.PageSize, MappedIova));
        var device = host.AddDevice(reserved: [Msi, new ReservedRegion(MappedIova, 0x1000, ReservedRegionKind.Reserved)]);
        var idev = host.Bind(device);
        var before = host.IovaRanges(ioas);

        Assert.Equal(Errno.EADDRINUSE, Iommufd.DeviceAttach(idev, ioas, out _));

        Assert.Equal(before, host.IovaRanges(ioas));
        Assert.Equal(new[] { (0UL, ulong.MaxValue) }, before);
        Assert.Equal(0, host.ReservedBy(ioas, device));
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Assert.Empty(host.IoasObject(ioas).Iopt.Domains);
        Assert.Equal(1, host.IoasObject(ioas).Users);
        Assert.Equal(IommuFaultReason.Blocked, device.DmaRead(MappedIova, new byte[4])!.Reason);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.Equal(0, host.Process.PinCount(buffer));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Reserved_region_inside_an_allowed_range_is_EADDRINUSE_and_the_ioas_is_exactly_as_before()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        Assert.Equal(Errno.None, host.AllowIovas(ioas, (0x4000_0000, 0x4FFF_FFFF)));
        var other = host.AddDevice(reserved: Msi);
        var otherIdev = host.Bind(other);
        var hwpt = host.Attach(otherIdev, ioas);
        var device = host.AddDevice(reserved: [Msi, new ReservedRegion(0x4800_0000, 0x1000, ReservedRegionKind.Reserved)]);
        var idev = host.Bind(device);
        var before = host.IovaRanges(ioas);

        Assert.Equal(Errno.EADDRINUSE, Iommufd.DeviceAttach(idev, hwpt, out _));

        Assert.Equal(before, host.IovaRanges(ioas));
        Assert.Equal(0, host.ReservedBy(ioas, device));
        Assert.Equal(1, host.ReservedBy(ioas, other));
        Assert.Equal(new[] { (0x4000_0000UL, 0x4FFF_FFFFUL) }, host.IoasObject(ioas).Iopt.AllowedRanges());
        Assert.False(idev.IsAttached);
        Assert.Equal(2, host.HwptObject(hwpt).Users);
        Iommufd.DeviceDetach(otherIdev);
        Iommufd.DeviceUnbind(otherIdev);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Fixed_a_device_whose_regions_collide_with_nothing_attaches_and_reserves_them()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var device = host.AddDevice(reserved:
        [
            Msi,
            new ReservedRegion(0x3000_0000, 0x1000, ReservedRegionKind.Reserved),
            new ReservedRegion(0x5000_0000, 0x1000, ReservedRegionKind.DirectRelaxable),
        ]);
        var idev = host.Bind(device);

        host.Attach(idev, ioas);

        // DIRECT_RELAXABLE regions are not enforced.
        Assert.Equal(2, host.ReservedBy(ioas, device));
        Assert.True(host.IsReserved(ioas, MsiWindow, MsiWindow + MsiLength - 1));
        Assert.True(host.IsReserved(ioas, 0x3000_0000, 0x3000_0FFF));
        Assert.False(host.IsReserved(ioas, 0x5000_0000, 0x5000_0FFF));
        var buffer = host.Buffer(KapiHost.PageSize);
        Assert.Equal(Errno.EINVAL, host.Map(ioas, buffer, KapiHost.PageSize, 0x3000_0000));
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Software_and_hardware_msi_together_are_EINVAL_and_nothing_stays_reserved()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var device = host.AddDevice(reserved: [Msi, new ReservedRegion(0xFEE0_0000, 0x10_0000, ReservedRegionKind.HardwareMsi)]);
        var idev = host.Bind(device);
        var before = host.IovaRanges(ioas);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, ioas, out _));

        Assert.Equal(before, host.IovaRanges(ioas));
        Assert.Equal(0, host.ReservedBy(ioas, device));
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Iommufd.DeviceUnbind(idev);
    }

    // ---- seed (c): a failed replace rolls back from the NEW IOAS (v6.11 fix) ----

    [Fact]
    public void Failed_replace_across_ioas_rolls_back_the_new_ioas_and_the_old_keeps_the_device_ranges()
    {
        var host = new KapiHost();
        var otherIommu = IommuInstance.RealLooking("dmar1");
        var device = host.AddDevice(reserved: Msi);
        var foreign = host.AddDevice(iommu: otherIommu);
        var idev = host.Bind(device);
        var foreignIdev = host.Bind(foreign);
        var oldIoas = host.AllocIoas();
        var newIoas = host.AllocIoas();
        var buffer = host.Buffer(KapiHost.PageSize, 0x11);
        Assert.Equal(Errno.None, host.Map(oldIoas, buffer, KapiHost.PageSize, MappedIova));
        var hwpt = host.Attach(idev, oldIoas);

        // A HWPT on the new IOAS whose domain belongs to another IOMMU: the reserved regions go in, then
        // the domain switch fails (EINVAL), and the rollback must clean the NEW IOAS.
        var incompatible = host.AllocHwpt(foreignIdev.Id, newIoas);
        var newBefore = host.IovaRanges(newIoas);
        var oldBefore = host.IovaRanges(oldIoas);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, incompatible, out _));

        Assert.Equal(newBefore, host.IovaRanges(newIoas));
        Assert.Equal(0, host.ReservedBy(newIoas, device));
        Assert.Equal(oldBefore, host.IovaRanges(oldIoas));
        Assert.Equal(1, host.ReservedBy(oldIoas, device));
        Assert.True(host.IsReserved(oldIoas, MsiWindow, MsiWindow + MsiLength - 1));
        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.Equal(2, host.HwptObject(hwpt).Users);
        Assert.Equal(1, host.HwptObject(incompatible).Users);

        // The device still works through the old domain.
        Assert.Null(device.DmaWrite(MappedIova, [9, 8, 7]));
        Assert.Equal(new byte[] { 9, 8, 7 }, host.ReadMemory(buffer, 3));

        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        Iommufd.DeviceUnbind(foreignIdev);
        Assert.Equal(Errno.None, host.Destroy(incompatible));
        Assert.Equal(Errno.None, host.Destroy(newIoas));
        Assert.Equal(Errno.None, host.Destroy(oldIoas));
        Assert.Equal(0, host.Process.PinCount(buffer));
        host.AssertNoWarnings();
    }

    [Fact]
    public void Failed_group_replace_rolls_back_every_member_from_the_new_ioas()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = host.AddDevice(group, reserved: Msi);
        var second = host.AddDevice(group, reserved: new ReservedRegion(MappedIova, 0x1000, ReservedRegionKind.Reserved));
        var firstIdev = host.Bind(first);
        var secondIdev = host.Bind(second);
        var oldIoas = host.AllocIoas();
        var newIoas = host.AllocIoas();
        var hwpt = host.Attach(firstIdev, oldIoas);
        Assert.Equal(hwpt, host.Attach(secondIdev, oldIoas));

        // The new IOAS maps over the second device's reserved range.
        var buffer = host.Buffer(KapiHost.PageSize);
        Assert.Equal(Errno.None, host.Map(newIoas, buffer, KapiHost.PageSize, MappedIova));
        var newBefore = host.IovaRanges(newIoas);
        var oldBefore = host.IovaRanges(oldIoas);

        Assert.Equal(Errno.EADDRINUSE, Iommufd.DeviceReplace(firstIdev, newIoas, out _));

        Assert.Equal(newBefore, host.IovaRanges(newIoas));
        Assert.Equal(0, host.ReservedBy(newIoas, first));
        Assert.Equal(0, host.ReservedBy(newIoas, second));
        Assert.Empty(host.IoasObject(newIoas).Hwpts);
        Assert.Equal(1, host.IoasObject(newIoas).Users);
        Assert.Equal(oldBefore, host.IovaRanges(oldIoas));
        Assert.Equal(1, host.ReservedBy(oldIoas, first));
        Assert.Equal(1, host.ReservedBy(oldIoas, second));
        Assert.Equal(hwpt, firstIdev.AttachedHwpt);
        Assert.Equal(hwpt, secondIdev.AttachedHwpt);
        Assert.Equal(3, host.HwptObject(hwpt).Users);

        Iommufd.DeviceDetach(firstIdev);
        Iommufd.DeviceDetach(secondIdev);
        Iommufd.DeviceUnbind(firstIdev);
        Iommufd.DeviceUnbind(secondIdev);
        Assert.Equal(Errno.None, host.Destroy(newIoas));
        Assert.Equal(Errno.None, host.Destroy(oldIoas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K23_successful_replace_across_ioas_moves_the_reserved_ranges()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = host.AddDevice(group, reserved: Msi);
        var second = host.AddDevice(group, reserved: new ReservedRegion(0x3000_0000, 0x1000, ReservedRegionKind.Reserved));
        var firstIdev = host.Bind(first);
        var secondIdev = host.Bind(second);
        var oldIoas = host.AllocIoas();
        var newIoas = host.AllocIoas();
        var oldHwpt = host.Attach(firstIdev, oldIoas);
        host.Attach(secondIdev, oldIoas);

        Assert.Equal(Errno.None, Iommufd.DeviceReplace(firstIdev, newIoas, out var newHwpt));

        Assert.Equal(newHwpt, firstIdev.AttachedHwpt);
        Assert.Equal(newHwpt, secondIdev.AttachedHwpt);
        Assert.Equal(3, host.HwptObject(newHwpt).Users);
        Assert.Equal(1, host.ReservedBy(newIoas, first));
        Assert.Equal(1, host.ReservedBy(newIoas, second));
        Assert.Equal(0, host.ReservedBy(oldIoas, first));
        Assert.Equal(0, host.ReservedBy(oldIoas, second));

        // The old automatic domain died with its last devices, and the old IOAS is whole again.
        Assert.Equal(Errno.ENOENT, host.Destroy(oldHwpt));
        Assert.Equal(new[] { (0UL, ulong.MaxValue) }, host.IovaRanges(oldIoas));
        Assert.Equal(Errno.None, host.Destroy(oldIoas));
        Iommufd.DeviceDetach(firstIdev);
        Iommufd.DeviceDetach(secondIdev);
        Iommufd.DeviceUnbind(firstIdev);
        Iommufd.DeviceUnbind(secondIdev);
        Assert.Equal(new[] { (0UL, ulong.MaxValue) }, host.IovaRanges(newIoas));
        Assert.Equal(Errno.None, host.Destroy(newIoas));
        host.AssertNoWarnings();
    }

    // ---- seed (e), K23: removed on every detach ----

    [Fact]
    public void K23_detaching_one_device_of_a_group_removes_its_ranges_and_keeps_the_sibling_ranges()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var firstRange = new ReservedRegion(0x3000_0000, 0x1000, ReservedRegionKind.Reserved);
        var secondRange = new ReservedRegion(0x3800_0000, 0x2000, ReservedRegionKind.Direct);
        var first = host.AddDevice(group, reserved: firstRange);
        var second = host.AddDevice(group, reserved: secondRange);
        var firstIdev = host.Bind(first);
        var secondIdev = host.Bind(second);
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(KapiHost.PageSize);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, KapiHost.PageSize, MappedIova));
        var hwpt = host.Attach(firstIdev, ioas);
        host.Attach(secondIdev, ioas);
        Assert.True(host.IsReserved(ioas, firstRange.Start, firstRange.Last));
        Assert.True(host.IsReserved(ioas, secondRange.Start, secondRange.Last));

        Iommufd.DeviceDetach(firstIdev);

        // Not the group's last device, and still its range is gone from IOVA_RANGES.
        Assert.False(host.IsReserved(ioas, firstRange.Start, firstRange.Last));
        Assert.Equal(0, host.ReservedBy(ioas, first));
        Assert.True(host.IsReserved(ioas, secondRange.Start, secondRange.Last));
        Assert.Equal(1, host.ReservedBy(ioas, second));
        Assert.Equal(hwpt, secondIdev.AttachedHwpt);
        Assert.Equal(2, host.HwptObject(hwpt).Users);
        Assert.Null(second.DmaWrite(MappedIova, [1]));

        // The range is usable IOVA again.
        var other = host.Buffer(KapiHost.PageSize);
        Assert.Equal(Errno.None, host.Map(ioas, other, KapiHost.PageSize, firstRange.Start));

        Iommufd.DeviceDetach(secondIdev);
        Assert.False(host.IsReserved(ioas, secondRange.Start, secondRange.Last));
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Iommufd.DeviceUnbind(firstIdev);
        Iommufd.DeviceUnbind(secondIdev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.Equal(0, host.Process.PinCount(buffer));
        Assert.Equal(0, host.Process.PinCount(other));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K23_a_single_device_leaves_the_ioas_whole_after_detach()
    {
        var host = new KapiHost();
        var device = host.AddDevice(reserved: Msi);
        var idev = host.Bind(device);
        var ioas = host.AllocIoas();

        for (var round = 0; round < 3; round++)
        {
            host.Attach(idev, ioas);
            Assert.True(host.IsReserved(ioas, MsiWindow, MsiWindow + MsiLength - 1));
            Iommufd.DeviceDetach(idev);
            Assert.Equal(new[] { (0UL, ulong.MaxValue) }, host.IovaRanges(ioas));
            Assert.Equal(0, host.ReservedBy(ioas, device));
        }

        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }
}
