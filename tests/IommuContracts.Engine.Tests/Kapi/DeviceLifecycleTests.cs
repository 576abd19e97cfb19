using IommuContracts.Contracts;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// The idev state machine (kernel spec §4.1, §7; K4–K9, K11, K24; seed (f)): bind → attach → replace →
/// detach → unbind, and each way to leave it.
/// </summary>
public class DeviceLifecycleTests
{
    // ---- K4: exactly one unbind per bind ----

    [Fact]
    public void K4_unbind_twice_is_IOMMU0002()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        Iommufd.DeviceUnbind(idev);

        var twice = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceUnbind(idev));
        Assert.Equal(RuleIds.UseAfterUnbind, twice.RuleId);
        Assert.Equal(0, host.Context.GroupCount);
    }

    [Fact]
    public void K4_a_bind_without_unbind_keeps_the_context_alive_after_close_and_unbind_releases_it()
    {
        var host = new KapiHost();
        var device = host.AddDevice();
        var idev = host.Bind(device);
        var ioas = host.AllocIoas();

        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        Iommufd.CtxPut(host.Ctx);

        // The bound device holds the /dev/iommu file: nothing was released, the group is still owned.
        Assert.False(host.ContextReleased);
        Assert.NotNull(host.Object(ioas));
        Assert.Same(host.Context, device.Group.DmaOwner);

        // Fixed: the driver unbinds, the last file reference goes and the context is torn down cleanly.
        Iommufd.DeviceUnbind(idev);
        Assert.True(host.ContextReleased);
        Assert.True(host.Context.Objects.IsEmpty);
        Assert.Equal(0, host.Context.GroupCount);
        Assert.Null(device.Group.DmaOwner);
        host.AssertNoWarnings();
    }

    // ---- K5: detach before unbind ----

    [Fact]
    public void K5_unbind_while_attached_is_IOMMU0004_and_changes_nothing()
    {
        var host = new KapiHost();
        var device = host.AddDevice();
        var idev = host.Bind(device);
        var ioas = host.AllocIoas();
        var hwpt = host.Attach(idev, ioas);

        var unbind = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceUnbind(idev));
        Assert.Equal(RuleIds.UnbindWhileAttached, unbind.RuleId);

        Assert.False(idev.IsUnbound);
        Assert.True(idev.IsAttached);
        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.True(device.IsBoundToIommufd);

        // Fixed: detach, then unbind.
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.True(host.Context.Objects.IsEmpty);
        host.AssertNoWarnings();
    }

    // ---- K6 / seed (f): no use after unbind ----

    [Fact]
    public void K6_every_idev_call_after_unbind_is_IOMMU0002()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        Iommufd.DeviceUnbind(idev);

        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceAttach(idev, ioas, out _)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceReplace(idev, ioas, out _)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceToId(idev)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceUnbind(idev)).RuleId);

        // None of those touched the IOAS.
        Assert.Equal(1, host.IoasObject(ioas).Users);
        Assert.Equal(Errno.None, host.Destroy(ioas));
    }

    [Fact]
    public void K6_unbind_concurrent_with_a_call_on_the_same_idev_is_IOMMU0002()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var mutex = host.IoasObject(ioas).Mutex;
        Errno? attached = null;

        // Hold the IOAS mutex so an attach on another thread stops inside the kAPI call.
        Monitor.Enter(mutex);
        var worker = new Thread(() =>
        {
            attached = Iommufd.DeviceAttach(idev, ioas, out _);
        });
        try
        {
            worker.Start();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((worker.ThreadState & ThreadState.WaitSleepJoin) == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }

            var unbind = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceUnbind(idev));
            Assert.Equal(RuleIds.UseAfterUnbind, unbind.RuleId);
        }
        finally
        {
            Monitor.Exit(mutex);
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)));
        }

        Assert.NotNull(attached);
    }

    [Fact]
    public void K6_fixed_serialised_attach_detach_unbind_runs_clean()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();

        var hwpt = host.Attach(idev, ioas);
        Assert.Equal(hwpt, idev.AttachedHwpt);
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);

        Assert.True(idev.IsUnbound);
        Assert.False(idev.IsAttached);
        Assert.Null(idev.AttachedHwpt);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    // ---- K7: attach at most once; the newest kernel answers EBUSY ----

    [Fact]
    public void K7_attach_twice_to_the_same_ioas_is_EBUSY_and_changes_nothing()
    {
        var host = new KapiHost();
        var device = host.AddDevice(reserved: new ReservedRegion(0x800_0000, 0x10_0000, ReservedRegionKind.SoftwareMsi));
        var idev = host.Bind(device);
        var ioas = host.AllocIoas();
        var hwpt = host.Attach(idev, ioas);
        var users = host.HwptObject(hwpt).Users;
        var idevUsers = host.Object(idev.Id)!.Users;
        var ranges = host.IovaRanges(ioas);

        Assert.Equal(Errno.EBUSY, Iommufd.DeviceAttach(idev, ioas, out var again));
        Assert.Equal(HwptId.None, again);

        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.Equal(users, host.HwptObject(hwpt).Users);
        Assert.Equal(idevUsers, host.Object(idev.Id)!.Users);
        Assert.Equal(ranges, host.IovaRanges(ioas));
        Assert.Equal(1, host.ReservedBy(ioas, device));

        // One detach is enough to take it all down: nothing was counted twice.
        Iommufd.DeviceDetach(idev);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Assert.Equal(0, host.ReservedBy(ioas, device));
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K7_attach_twice_to_the_same_hwpt_id_is_EBUSY()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var hwpt = host.Attach(idev, ioas);
        var users = host.HwptObject(hwpt).Users;

        Assert.Equal(Errno.EBUSY, Iommufd.DeviceAttach(idev, hwpt, out var again));
        Assert.Equal(HwptId.None, again);

        Assert.Equal(users, host.HwptObject(hwpt).Users);
        Assert.Single(host.Context.Groups().Single().Attached);
        Iommufd.DeviceDetach(idev);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K7_attach_twice_naming_another_ioas_is_EBUSY_too()
    {
        // Newest kernel: the per-group device array rejects the duplicate device before the HWPT is compared,
        // so the second attach is EBUSY also when it names a different IOAS / HWPT (spec §4.2 K7, §4.1).
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var first = host.AllocIoas();
        var second = host.AllocIoas();
        var hwpt = host.Attach(idev, first);

        Assert.Equal(Errno.EBUSY, Iommufd.DeviceAttach(idev, second, out _));

        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.Equal(1, host.IoasObject(second).Users);
        Assert.Equal(Errno.None, host.Destroy(second));
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K7_attach_twice_naming_another_hwpt_of_the_same_ioas_is_EBUSY_too()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var hwpt = host.Attach(idev, ioas);
        var manual = host.AllocHwpt(idev.Id, ioas);

        Assert.Equal(Errno.EBUSY, Iommufd.DeviceAttach(idev, manual, out _));

        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.Equal(1, host.HwptObject(manual).Users);
        Assert.Equal(Errno.None, host.Destroy(manual));
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K7_fixed_replace_switches_without_detaching()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var first = host.AllocIoas();
        var second = host.AllocIoas();
        var hwpt = host.Attach(idev, first);

        Assert.Equal(Errno.None, Iommufd.DeviceReplace(idev, second, out var moved));

        Assert.NotEqual(hwpt, moved);
        Assert.Equal(moved, idev.AttachedHwpt);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Assert.Equal(Errno.None, host.Destroy(first));
        Iommufd.DeviceDetach(idev);
        Assert.Equal(Errno.ENOENT, host.Destroy(moved));
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(second));
        host.AssertNoWarnings();
    }

    // ---- K8: replace only after attach ----

    [Fact]
    public void K8_replace_on_a_never_attached_device_is_EINVAL()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, ioas, out var hwpt));

        Assert.False(idev.IsAttached);
        Assert.Equal(HwptId.None, hwpt);
        Assert.Equal(1, host.IoasObject(ioas).Users);
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K8_replace_on_a_device_whose_sibling_is_attached_is_EINVAL()
    {
        // The v6.15 / 6.12.24 fix "Fail replace if device has not been attached".
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var sibling = host.AddDevice(group, reserved: new ReservedRegion(0x800_0000, 0x1000, ReservedRegionKind.Reserved));
        var device = host.AddDevice(group, reserved: new ReservedRegion(0x900_0000, 0x1000, ReservedRegionKind.Reserved));
        var siblingIdev = host.Bind(sibling);
        var idev = host.Bind(device);
        var first = host.AllocIoas();
        var second = host.AllocIoas();
        var hwpt = host.Attach(siblingIdev, first);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, second, out _));

        Assert.False(idev.IsAttached);
        Assert.Equal(hwpt, siblingIdev.AttachedHwpt);
        Assert.Equal(0, host.ReservedBy(first, device));
        Assert.Equal(0, host.ReservedBy(second, device));
        Assert.Equal(0, host.ReservedBy(second, sibling));
        Assert.Equal(1, host.ReservedBy(first, sibling));
        Assert.Empty(host.IoasObject(second).Hwpts);
        Assert.Equal(Errno.None, host.Destroy(second));
        Iommufd.DeviceDetach(siblingIdev);
        Iommufd.DeviceUnbind(siblingIdev);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K8_fixed_replace_after_attach_moves_the_device()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var first = host.AllocIoas();
        var second = host.AllocIoas();
        host.Attach(idev, first);

        Assert.Equal(Errno.None, Iommufd.DeviceReplace(idev, second, out var hwpt));
        Assert.Equal(hwpt, idev.AttachedHwpt);
        Assert.Same(host.IoasObject(second), host.HwptObject(hwpt).Ioas);

        // Replacing onto the HWPT it already uses is a successful no-op that names it again.
        Assert.Equal(Errno.None, Iommufd.DeviceReplace(idev, hwpt, out var same));
        Assert.Equal(hwpt, same);
        Assert.Equal(2, host.HwptObject(hwpt).Users);
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    // ---- K9: detach only when attached ----

    [Fact]
    public void K9_detach_of_a_never_attached_device_is_IOMMU0007()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());

        var detach = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev));
        Assert.Equal(RuleIds.DetachWhenNotAttached, detach.RuleId);

        Assert.Equal(1 + 1, host.Object(idev.Id)!.Users);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K9_detach_twice_is_IOMMU0007()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        host.Attach(idev, ioas);
        Iommufd.DeviceDetach(idev);

        var detach = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev));
        Assert.Equal(RuleIds.DetachWhenNotAttached, detach.RuleId);

        Assert.Equal(2, host.Object(idev.Id)!.Users);
        Assert.Equal(1, host.IoasObject(ioas).Users);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K9_fixed_detach_guarded_by_IsAttached()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        Assert.Equal(Errno.ENOENT, Iommufd.DeviceAttach(idev, new PageTableId(12345), out _));

        // The release path of a failed attach: detach only if attached.
        if (idev.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }

        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    // ---- K11: never drop a HWPT reference with the IOAS mutex held ----

    [Fact]
    public void K11_detach_from_an_automatic_domain_under_the_ioas_lock_is_IOMMU0012()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        host.Attach(idev, ioas);
        var mutex = host.IoasObject(ioas).Mutex;

        ContractViolationException violation;
        lock (mutex)
        {
            violation = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev));
        }

        Assert.Equal(RuleIds.DetachUnderIoasLock, violation.RuleId);
    }

    [Fact]
    public void K11_newest_kernel_asserts_only_for_automatic_domains_a_manual_hwpt_may_be_put_under_the_lock()
    {
        // Newest iommufd_hw_pagetable_put: lockdep_assert_not_held(&ioas->mutex) sits inside the
        // auto_domain branch (HWPT_ALLOC's error path drops a manual HWPT with the mutex held), so only the
        // release of an automatic domain is a violation. Lock order ioas->mutex -> igroup->lock is kept.
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var manual = host.AllocHwpt(idev.Id, ioas);
        host.Attach(idev, manual);
        var mutex = host.IoasObject(ioas).Mutex;

        lock (mutex)
        {
            Iommufd.DeviceDetach(idev);
        }

        Assert.False(idev.IsAttached);
        Assert.Equal(1, host.HwptObject(manual).Users);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(manual));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K11_fixed_detach_after_the_ioas_lock_is_dropped()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var ioas = host.AllocIoas();
        var hwpt = host.Attach(idev, ioas);
        var mutex = host.IoasObject(ioas).Mutex;
        lock (mutex)
        {
            // Work under the lock that does not release HWPTs.
            Assert.Single(host.IoasObject(ioas).Hwpts);
        }

        Iommufd.DeviceDetach(idev);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    // ---- K24: one HWPT per group ----

    [Fact]
    public void K24_group_members_must_share_one_hwpt()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = host.Bind(host.AddDevice(group));
        var second = host.Bind(host.AddDevice(group));
        var ioas = host.AllocIoas();
        var otherIoas = host.AllocIoas();
        var hwpt = host.Attach(first, ioas);
        var manual = host.AllocHwpt(first.Id, ioas);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(second, otherIoas, out _));
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(second, manual, out _));

        Assert.False(second.IsAttached);
        Assert.Equal(hwpt, first.AttachedHwpt);
        Assert.Equal(1, host.HwptObject(manual).Users);
        Assert.Empty(host.IoasObject(otherIoas).Hwpts);
        Assert.Equal(1, host.IoasObject(otherIoas).Users);

        // Fixed: the sibling joins the group's HWPT (by IOAS or by ID).
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(second, ioas, out var joined));
        Assert.Equal(hwpt, joined);
        Assert.Equal(hwpt, second.AttachedHwpt);
        Assert.Equal(3, host.HwptObject(hwpt).Users);
        Iommufd.DeviceDetach(first);
        Iommufd.DeviceDetach(second);
        Assert.Equal(Errno.ENOENT, host.Destroy(hwpt));
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(second);
        Assert.Equal(Errno.None, host.Destroy(manual));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.Equal(Errno.None, host.Destroy(otherIoas));
        host.AssertNoWarnings();
    }

    [Fact]
    public void K24_a_sibling_attaching_to_the_ioas_of_a_manual_group_hwpt_is_EINVAL()
    {
        // The group sits on a manual HWPT; automatic selection never picks it, and a new automatic domain
        // would split the group.
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = host.Bind(host.AddDevice(group));
        var second = host.Bind(host.AddDevice(group));
        var ioas = host.AllocIoas();
        var manual = host.AllocHwpt(first.Id, ioas);
        host.Attach(first, manual);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(second, ioas, out _));
        Assert.False(second.IsAttached);
        Assert.Single(host.IoasObject(ioas).Hwpts);

        // A HWPT ID comes back unchanged.
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(second, manual, out var joined));
        Assert.Equal(manual, joined);
        Iommufd.DeviceDetach(second);
        Iommufd.DeviceDetach(first);
        Iommufd.DeviceUnbind(first);
        Iommufd.DeviceUnbind(second);
        Assert.Equal(Errno.None, host.Destroy(manual));
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
    }

    // ---- attach errno for bad pt_id ----

    [Fact]
    public void Attach_to_an_unknown_id_is_ENOENT_and_to_a_device_id_is_EINVAL()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());

        Assert.Equal(Errno.ENOENT, Iommufd.DeviceAttach(idev, new PageTableId(999), out var unknown));
        Assert.Equal(HwptId.None, unknown);

        // A device ID is the wrong kind on purpose (IOMMU0105 reports this at compile time).
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, PageTableId.FromObjectId(idev.Id), out var wrongKind));
        Assert.Equal(HwptId.None, wrongKind);
        Assert.False(idev.IsAttached);
        Assert.Equal(2, host.Object(idev.Id)!.Users);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }
}
