using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// In-kernel accesses (kernel spec §4.1 access_*, §3.5 unmap with accesses; K17, K18, K20, K21).
/// </summary>
public class AccessTests
{
    private const ulong Page = KapiHost.PageSize;
    private const ulong Iova = 0x10_0000;

    private sealed class Setup
    {
        public Setup(bool needsPinPages = true, bool unpinOnUnmap = true, bool attach = true)
        {
            Host = new KapiHost();
            Ioas = Host.AllocIoas();
            Buffer = Host.Buffer(4 * Page, 0x33);
            Assert.Equal(Errno.None, Host.Map(Ioas, Buffer, 4 * Page, Iova));
            Ops = new RecordingAccessOps(needsPinPages, unpinOnUnmap);
            Assert.Equal(Errno.None, Iommufd.AccessCreate(Host.Ctx, Ops, out var access, out var id));
            Assert.True(id.IsValid);
            Access = access!;
            Ops.Access = Access;
            if (attach)
            {
                Assert.Equal(Errno.None, Iommufd.AccessAttach(Access, Ioas));
            }
        }

        public KapiHost Host { get; }

        public IoasId Ioas { get; }

        public ulong Buffer { get; }

        public RecordingAccessOps Ops { get; }

        public IommufdAccess Access { get; }
    }

    // ---- K17: create → attach before pin / rw; one attach at a time ----

    [Fact]
    public void K17_pin_and_rw_before_attach_are_ENOENT()
    {
        var s = new Setup(attach: false);

        Assert.Equal(Errno.ENOENT, s.Ops.Pin(Iova, Page));
        Assert.Equal(Errno.ENOENT, Iommufd.AccessRw(s.Access, Iova, new byte[16], AccessRwFlags.Read));

        Assert.Empty(s.Ops.Pinned);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K17_attach_twice_is_IOMMU0013_and_the_access_stays_where_it_was()
    {
        var s = new Setup();
        var other = s.Host.AllocIoas();

        var twice = Assert.Throws<ContractViolationException>(() => Iommufd.AccessAttach(s.Access, other));
        Assert.Equal(RuleIds.AccessNotAttached, twice.RuleId);

        Assert.True(s.Access.IsAttached);
        Assert.Equal(2, s.Host.IoasObject(s.Ioas).Users);
        Assert.Equal(1, s.Host.IoasObject(other).Users);
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));
        Assert.True(s.Ops.Unpin(Iova, Page));
        Iommufd.AccessDestroy(s.Access);
        Assert.Equal(Errno.None, s.Host.Destroy(other));
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K17_detach_when_not_attached_is_IOMMU0013_and_replace_is_ENOENT()
    {
        var s = new Setup(attach: false);

        var detach = Assert.Throws<ContractViolationException>(() => Iommufd.AccessDetach(s.Access));
        Assert.Equal(RuleIds.AccessNotAttached, detach.RuleId);
        Assert.Equal(Errno.ENOENT, Iommufd.AccessReplace(s.Access, s.Ioas));

        Assert.False(s.Access.IsAttached);
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);
        Assert.Equal(Errno.ENOENT, Iommufd.AccessAttach(s.Access, new IoasId(4242)));
        Assert.False(s.Access.IsAttached);
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K17_attaching_a_pinning_access_to_an_ioas_with_sub_page_areas_is_EADDRINUSE()
    {
        // A pinning access needs PAGE_SIZE alignment; an existing area that does not meet it refuses it.
        var s = new Setup(attach: false);
        var other = s.Host.AllocIoas();
        ulong iova = 0x30_0064;
        Assert.Equal(Errno.None, s.Host.File.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, other, s.Buffer + 100, 200, ref iova));

        Assert.Equal(Errno.EADDRINUSE, Iommufd.AccessAttach(s.Access, other));

        Assert.False(s.Access.IsAttached);
        Assert.Equal(1, s.Host.IoasObject(other).Users);
        Assert.Equal(1UL, s.Host.IoasObject(other).Iopt.IovaAlignment);
        Assert.Equal(Errno.None, Iommufd.AccessAttach(s.Access, s.Ioas));
        Iommufd.AccessDetach(s.Access);
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K17_fixed_create_attach_pin_rw_replace_detach_destroy()
    {
        var s = new Setup();
        Assert.Equal(2, s.Host.IoasObject(s.Ioas).Users);

        Assert.Equal(Errno.None, s.Ops.Pin(Iova + Page, 2 * Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer + Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer + (2 * Page)));
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));

        // CPU copies through the access reach the process memory behind the IOVA.
        Assert.Equal(Errno.None, Iommufd.AccessRw(s.Access, Iova + 10, "hello"u8.ToArray(), AccessRwFlags.Write));
        Assert.Equal("hello"u8.ToArray(), s.Host.ReadMemory(s.Buffer + 10, 5));
        var back = new byte[3];
        Assert.Equal(Errno.None, Iommufd.AccessRw(s.Access, Iova + Page, back, AccessRwFlags.Read));
        Assert.Equal(new byte[] { 0x33, 0x33, 0x33 }, back);

        // Replace asks the driver to drop everything in the old IOAS first.
        var other = s.Host.AllocIoas();
        Assert.Equal(Errno.None, Iommufd.AccessReplace(s.Access, other));
        Assert.Contains((0UL, ulong.MaxValue), s.Ops.UnmapCalls);
        Assert.Empty(s.Ops.Pinned);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer + Page));
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);
        Assert.Equal(2, s.Host.IoasObject(other).Users);
        Assert.Equal(Errno.ENOENT, s.Ops.Pin(Iova, Page));

        Iommufd.AccessDetach(s.Access);
        Assert.False(s.Access.IsAttached);
        Assert.Equal(1, s.Host.IoasObject(other).Users);
        Iommufd.AccessDestroy(s.Access);
        Assert.Null(s.Host.Object(s.Access.Id));
        Assert.Equal(Errno.None, s.Host.Destroy(other));
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void Access_pin_honours_the_mapping_permissions_EPERM()
    {
        var s = new Setup();
        var readOnly = s.Host.Buffer(Page);
        Assert.Equal(Errno.None, s.Host.Map(s.Ioas, readOnly, Page, 0x20_0000, readable: true, writeable: false));

        Assert.Equal(Errno.EPERM, s.Ops.Pin(0x20_0000, Page, write: true));
        Assert.Equal(Errno.EPERM, Iommufd.AccessRw(s.Access, 0x20_0000, new byte[4], AccessRwFlags.Write));
        Assert.Equal(0, s.Host.Process.PinCount(readOnly));
        Assert.Equal(Errno.None, s.Ops.Pin(0x20_0000, Page, write: false));
        Assert.Equal(1, s.Host.Process.PinCount(readOnly));
        Assert.True(s.Ops.Unpin(0x20_0000, Page));
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    // ---- K18: the unmap callback must unpin ----

    [Fact]
    public void K18_an_unmap_callback_that_does_not_unpin_makes_IOAS_UNMAP_fail_EDEADLOCK_after_100_retries_with_a_WARN()
    {
        var s = new Setup(unpinOnUnmap: false);
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, Page));
        Assert.Empty(s.Host.Kernel.Log.Warnings);

        Assert.Equal(Errno.EDEADLOCK, s.Host.Unmap(s.Ioas, Iova, 4 * Page, out var unmapped));

        // The kernel notifies, counts a try, and WARNs once tries exceed 100: 101 notifications in all.
        Assert.Equal(101, s.Ops.UnmapCalls.Count);
        Assert.All(s.Ops.UnmapCalls, call => Assert.Equal((Iova, 4 * Page), call));
        var warning = Assert.Single(s.Host.Kernel.Log.Warnings);
        Assert.Contains("iopt_unmap_iova_range", warning, StringComparison.Ordinal);
        Assert.Equal(4 * Page, unmapped);

        // Nothing was unmapped: the area is still there and still pinned.
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Iopt.AreaCount);
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));

        // Once the driver unpins, the same unmap goes through.
        Assert.True(s.Ops.Unpin(Iova, Page));
        Assert.Equal(Errno.None, s.Host.Unmap(s.Ioas, Iova, 4 * Page, out unmapped));
        Assert.Equal(4 * Page, unmapped);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Iommufd.AccessDestroy(s.Access);
    }

    [Fact]
    public void K18_pinning_without_declaring_needs_pin_pages_is_IOMMU0014()
    {
        var s = new Setup(needsPinPages: false);

        var pin = Assert.Throws<ContractViolationException>(() => Iommufd.AccessPinPages(s.Access, Iova, Page, true, out _));
        Assert.Equal(RuleIds.AccessUnmapDoesNotUnpin, pin.RuleId);

        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));

        // Such an access may still copy (access_rw needs no pin).
        Assert.Equal(Errno.None, Iommufd.AccessRw(s.Access, Iova, new byte[8], AccessRwFlags.Read));
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K18_fixed_an_unmap_callback_that_unpins_lets_IOAS_UNMAP_through_at_once()
    {
        var s = new Setup();
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, Page));
        Assert.Equal(Errno.None, s.Ops.Pin(Iova + (2 * Page), 2 * Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));

        Assert.Equal(Errno.None, s.Host.Unmap(s.Ioas, Iova, 4 * Page, out var unmapped));

        Assert.Equal(4 * Page, unmapped);
        Assert.Equal(new[] { (Iova, 4 * Page) }, s.Ops.UnmapCalls);
        Assert.Empty(s.Ops.Pinned);
        for (ulong offset = 0; offset < 4 * Page; offset += Page)
        {
            Assert.Equal(0, s.Host.Process.PinCount(s.Buffer + offset));
        }

        Assert.Equal(0, s.Host.IoasObject(s.Ioas).Iopt.AreaCount);
        Iommufd.AccessDestroy(s.Access);
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
        s.Host.AssertNoWarnings();
    }

    // ---- K20: unpin exactly what was pinned ----

    [Fact]
    public void K20_unpinning_half_of_a_pinned_range_is_IOMMU0016_and_pins_are_unchanged()
    {
        var s = new Setup();
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, 2 * Page));

        var half = Assert.Throws<ContractViolationException>(() => Iommufd.AccessUnpinPages(s.Access, Iova, Page));
        Assert.Equal(RuleIds.UnpinMismatch, half.RuleId);
        var never = Assert.Throws<ContractViolationException>(() => Iommufd.AccessUnpinPages(s.Access, Iova + (3 * Page), Page));
        Assert.Equal(RuleIds.UnpinMismatch, never.RuleId);

        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer + Page));

        // Fixed: unpin the exact range.
        Assert.True(s.Ops.Unpin(Iova, 2 * Page));
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer + Page));
        var twice = Assert.Throws<ContractViolationException>(() => Iommufd.AccessUnpinPages(s.Access, Iova, 2 * Page));
        Assert.Equal(RuleIds.UnpinMismatch, twice.RuleId);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void K20_the_same_range_pinned_twice_needs_two_unpins()
    {
        // iopt_area_add_access finds the exact range already pinned and counts a user on it: the pages
        // are pinned once (MD_CHECK_REFS == 1) and stay pinned until the last matching unpin.
        var s = new Setup();
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, Page));
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));

        Assert.True(s.Ops.Unpin(Iova, Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Iopt.AreaAt(Iova)!.AccessPins);
        Assert.True(s.Ops.Unpin(Iova, Page));
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(0, s.Host.IoasObject(s.Ioas).Iopt.AreaAt(Iova)!.AccessPins);
        Iommufd.AccessDestroy(s.Access);
        s.Host.AssertNoWarnings();
    }

    // ---- K21: nothing after destroy ----

    [Fact]
    public void K21_every_access_call_after_destroy_is_IOMMU0013()
    {
        var s = new Setup();
        Iommufd.AccessDestroy(s.Access);
        Assert.True(s.Access.IsDestroyed);
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);

        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessPinPages(s.Access, Iova, Page, false, out _)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessRw(s.Access, Iova, new byte[4], AccessRwFlags.Read)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessAttach(s.Access, s.Ioas)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessReplace(s.Access, s.Ioas)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessDetach(s.Access)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessUnpinPages(s.Access, Iova, Page)).RuleId);
        Assert.Equal(RuleIds.AccessNotAttached, Assert.Throws<ContractViolationException>(() => Iommufd.AccessDestroy(s.Access)).RuleId);

        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer));
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
    }

    [Fact]
    public void K21_destroy_asks_the_driver_to_unpin_everything_first()
    {
        var s = new Setup();
        Assert.Equal(Errno.None, s.Ops.Pin(Iova, 3 * Page));
        Assert.Equal(1, s.Host.Process.PinCount(s.Buffer + (2 * Page)));

        Iommufd.AccessDestroy(s.Access);

        Assert.Contains((0UL, ulong.MaxValue), s.Ops.UnmapCalls);
        Assert.Empty(s.Ops.Pinned);
        Assert.Equal(0, s.Host.Process.PinCount(s.Buffer + (2 * Page)));
        Assert.Null(s.Host.Object(s.Access.Id));
        Assert.Equal(1, s.Host.IoasObject(s.Ioas).Users);
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
        s.Host.AssertNoWarnings();
    }

    [Fact]
    public void The_access_object_cannot_be_destroyed_from_user_space()
    {
        var s = new Setup();

        Assert.Equal(Errno.EBUSY, s.Host.Destroy(s.Access.Id));
        Assert.Equal(Errno.EBUSY, s.Host.Destroy(s.Ioas));

        Iommufd.AccessDestroy(s.Access);
        Assert.Equal(Errno.ENOENT, s.Host.Destroy(s.Access.Id));
        Assert.Equal(Errno.None, s.Host.Destroy(s.Ioas));
        s.Host.AssertNoWarnings();
    }
}
