using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

// Attach, replace and detach (the kernel's device.c): to a HWPT directly, or to an IOAS through an
// automatic domain shared by compatible devices.
internal sealed partial class Device
{
    private delegate Errno AttachMode(Device device, HwPageTable hwpt, out HwPageTable? destroy);

    /// <summary>
    /// iommufd_device_attach: <paramref name="ptId"/> names an IOAS (an automatic domain is found or made)
    /// or a HWPT, and returns the HWPT used. ENOENT for an unknown ID, EINVAL for another kind or an
    /// incompatible HWPT, EBUSY if this device is already attached.
    /// </summary>
    public Errno Attach(ref ObjectId ptId)
    {
        var result = ChangePt(ref ptId, DoAttach, immediateAttach: true);
        if (result == Errno.None)
        {
            // Pairs with detach: an attached idev cannot be destroyed.
            AddUser();
        }

        return result;
    }

    /// <summary>iommufd_device_replace: moves the whole group to the new HWPT atomically; EINVAL if this device is not attached.</summary>
    public Errno Replace(ref ObjectId ptId) => ChangePt(ref ptId, DoReplace, immediateAttach: false);

    /// <summary>iommufd_device_detach: the group leaves its HWPT when its last device does; this device's reserved IOVA always goes.</summary>
    public void Detach()
    {
        if (DetachFromHwpt() is not { } hwpt)
        {
            return;
        }

        PutHwpt(hwpt);
        DropUser();
    }

    /// <summary>iommufd_hw_pagetable_attach: joins the group's HWPT (the first device attaches the group).</summary>
    internal Errno AttachToHwpt(HwPageTable hwpt)
    {
        lock (Group.Lock)
        {
            // The duplicate-device check comes first (xa_insert into the attach's device array: EBUSY),
            // then the group's HWPT must be this one.
            if (Group.IsAttached(this))
            {
                return Errno.EBUSY;
            }

            if (Group.Hwpt is { } current && !ReferenceEquals(current, hwpt))
            {
                return Errno.EINVAL;
            }

            var iopt = hwpt.PagingParent.Ioas.Iopt;
            var reserved = EnforceReservedRegions(iopt, out var softwareMsi);
            if (reserved != Errno.None)
            {
                return reserved;
            }

            if (softwareMsi is not null)
            {
                Group.SoftwareMsiStart = softwareMsi;
            }

            if (Group.Attached.Count == 0)
            {
                // iommufd_hwpt_attach_device: PASID compatibility, then the attach handle (ENOMEM).
                var attached = RidPasidCompat(hwpt);
                if (attached == Errno.None)
                {
                    attached = Context.Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
                }

                if (attached == Errno.None)
                {
                    attached = SwitchGroupDomain(hwpt);
                }

                if (attached != Errno.None)
                {
                    iopt.RemoveReserved(Dev);
                    return attached;
                }

                Group.Hwpt = hwpt;
                Group.Handle = new AttachHandle(this, AttachHandle.NoPasid, hwpt);
            }

            hwpt.AddUser();
            Group.AddAttached(this);
            return Errno.None;
        }
    }

    /// <summary>iommufd_hw_pagetable_detach: returns the HWPT the caller must put, or null when not attached.</summary>
    internal HwPageTable? DetachFromHwpt()
    {
        lock (Group.Lock)
        {
            if (!Group.IsAttached(this) || Group.Hwpt is not { } hwpt)
            {
                return null;
            }

            Group.RemoveAttached(this);
            if (Group.Attached.Count == 0)
            {
                lock (Dev.Group.Lock)
                {
                    Dev.Group.Domain = GroupDomain.Blocked;
                }

                Group.Hwpt = null;

                // Faults that came through the attachment can no longer be answered by user space.
                var handle = Group.Handle;
                Group.Handle = null;
                if (handle is not null)
                {
                    hwpt.Fault?.AutoRespond(handle);
                }
            }

            hwpt.PagingParent.Ioas.Iopt.RemoveReserved(Dev);
            return hwpt;
        }
    }

    private static Errno DoAttach(Device device, HwPageTable hwpt, out HwPageTable? destroy)
    {
        destroy = null;
        return device.AttachToHwpt(hwpt);
    }

    // iommufd_device_do_replace: reserved regions of the whole group move to the new IOAS first (rolled
    // back on failure, from the new IOAS), then the domain switch, then the old IOAS lets go.
    private static Errno DoReplace(Device device, HwPageTable hwpt, out HwPageTable? destroy)
    {
        destroy = null;
        var group = device.Group;
        lock (group.Lock)
        {
            if (group.Hwpt is not { } old || !group.IsAttached(device))
            {
                return Errno.EINVAL;
            }

            if (ReferenceEquals(old, hwpt))
            {
                return Errno.None;
            }

            var newIopt = hwpt.PagingParent.Ioas.Iopt;
            var oldIopt = old.PagingParent.Ioas.Iopt;
            var ioasChanged = !ReferenceEquals(newIopt, oldIopt);
            if (ioasChanged)
            {
                var moved = new List<Device>();
                foreach (var member in group.Attached)
                {
                    var reserved = member.EnforceReservedRegions(newIopt, out var softwareMsi);
                    if (reserved != Errno.None)
                    {
                        moved.ForEach(m => newIopt.RemoveReserved(m.Dev));
                        return reserved;
                    }

                    if (softwareMsi is not null)
                    {
                        group.SoftwareMsiStart = softwareMsi;
                    }

                    moved.Add(member);
                }
            }

            // iommufd_hwpt_replace_device: PASID compatibility, then the new attach handle (ENOMEM).
            var switched = device.RidPasidCompat(hwpt);
            if (switched == Errno.None)
            {
                switched = device.Context.Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
            }

            if (switched == Errno.None)
            {
                switched = device.SwitchGroupDomain(hwpt);
            }

            if (switched != Errno.None)
            {
                if (ioasChanged)
                {
                    foreach (var member in group.Attached)
                    {
                        newIopt.RemoveReserved(member.Dev);
                    }
                }

                return switched;
            }

            if (ioasChanged)
            {
                foreach (var member in group.Attached)
                {
                    oldIopt.RemoveReserved(member.Dev);
                }
            }

            group.Hwpt = hwpt;

            // The kernel answers the old handle's pending faults from the new HWPT's fault queue.
            var oldHandle = group.Handle;
            group.Handle = new AttachHandle(device, AttachHandle.NoPasid, hwpt);
            if (oldHandle is not null)
            {
                hwpt.Fault?.AutoRespond(oldHandle);
            }

            destroy = MoveDeviceReferences(old, hwpt, group.Attached.Count);
            return Errno.None;
        }
    }

    // A replace moves the references of the devices attached through it to the new HWPT and drops all but one
    // of the old ones here; the caller puts the last (returned) once its locks are released.
    private static HwPageTable MoveDeviceReferences(HwPageTable old, HwPageTable hwpt, int devices)
    {
        for (var i = 0; i < devices; i++)
        {
            hwpt.AddUser();
        }

        for (var i = 1; i < devices; i++)
        {
            old.DropUser();
        }

        return old;
    }

    // iommufd_device_change_pt: resolves pt_id and runs the attach or replace.
    private Errno ChangePt(ref ObjectId ptId, AttachMode mode, bool immediateAttach, uint pasid = AttachHandle.NoPasid)
    {
        var found = Context.Objects.Lookup(ptId, ObjectKind.Any, out var target);
        if (found != Errno.None)
        {
            return found;
        }

        HwPageTable? destroy;
        Errno result;
        try
        {
            switch (target)
            {
                case HwPageTable hwpt:
                    result = mode(this, hwpt, out destroy);
                    break;
                case Ioas ioas:
                    result = AutoDomain(ioas, ref ptId, mode, immediateAttach, pasid, out destroy);
                    break;
                default:
                    return Errno.EINVAL;
            }
        }
        finally
        {
            Context.Objects.Put(target!);
        }

        // Destruction comes after every lock is dropped.
        if (result == Errno.None && destroy is not null)
        {
            PutHwpt(destroy);
        }

        return result;
    }

    // iommufd_device_auto_get_domain: under the IOAS mutex, try every automatic HWPT (EINVAL means
    // incompatible, try the next); otherwise allocate one, attach, and publish it before unlocking.
    private Errno AutoDomain(Ioas ioas, ref ObjectId ptId, AttachMode mode, bool immediateAttach, uint pasid, out HwPageTable? destroy)
    {
        destroy = null;
        lock (ioas.Mutex)
        {
            foreach (var candidate in ioas.Hwpts.Where(h => h.AutoDomain).ToList())
            {
                if (!Context.Objects.TryLock(candidate))
                {
                    continue;
                }

                Context.Kernel.Interleavings.Reach(Faults.InterleavingPoint.AutoDomainTriesExisting);
                var result = mode(this, candidate, out destroy);
                Context.Objects.Put(candidate);
                if (result == Errno.EINVAL)
                {
                    continue;
                }

                if (result == Errno.None)
                {
                    ptId = candidate.Id;
                }

                return result;
            }

            // The group lock is held until the new HWPT is published or aborted. Once the replace below has moved the
            // group onto it, a sibling's replace or detach (under another IOAS's mutex) would otherwise move the group
            // away and put a HWPT that is still being built, which only its creator may hold (K13). With immediate
            // attach the group had no HWPT, so nothing can race there; the lock is taken alike for one lock order.
            lock (Group.Lock)
            {
                var allocated = HwptPaging.Allocate(Context, ioas, this, Uapi.IommuHwptAllocFlags.None, immediateAttach, out var hwpt, pasid);
                if (allocated != Errno.None)
                {
                    return allocated;
                }

                if (!immediateAttach)
                {
                    var replaced = mode(this, hwpt!, out destroy);
                    if (replaced != Errno.None)
                    {
                        Context.Objects.Abort(hwpt!);
                        return replaced;
                    }
                }

                hwpt!.AutoDomain = true;
                ptId = hwpt.Id;
                Context.Kernel.Interleavings.Reach(Faults.InterleavingPoint.AutoDomainBeforePublish);
                Context.Objects.Publish(hwpt);
                return Errno.None;
            }
        }
    }

    // The IOMMU driver's attach: compatibility, MSI window, then the group's DMA goes through the domain.
    private Errno SwitchGroupDomain(HwPageTable hwpt)
    {
        var domain = hwpt.TranslatingDomain;
        var compatible = CompatibleWith(hwpt);
        if (compatible == Errno.None)
        {
            compatible = Drivers.MockDriver.AttachDevice(this, hwpt);
        }

        if (compatible != Errno.None)
        {
            return compatible;
        }

        if (EnforceCacheCoherency && !domain.EnforceCacheCoherency)
        {
            if (!domain.Iommu.EnforceCacheCoherency)
            {
                return Errno.EINVAL;
            }

            domain.EnforceCacheCoherency = true;
        }

        if (Group.SoftwareMsiStart is { } window && domain.MsiWindow is null)
        {
            domain.MsiWindow = window;
        }

        lock (Dev.Group.Lock)
        {
            Dev.Group.Domain = GroupDomain.Of(domain);
        }

        return Errno.None;
    }

    /// <summary>Whether the device's IOMMU driver accepts the HWPT's domain (EINVAL: incompatible).</summary>
    internal Errno CompatibleWith(HwPageTable hwpt)
    {
        var domain = hwpt.TranslatingDomain;
        if (domain.Iommu.Driver != Dev.Iommu.Driver)
        {
            return Errno.EINVAL;
        }

        if (Dev.Iommu.Driver == IommuDriverKind.Mock)
        {
            // mock_domain_nop_attach: a dirty-tracking domain refuses a NO_DIRTY device.
            return domain.DirtyCapable && (Dev.MockFlags & (ulong)Uapi.MockDeviceFlags.NoDirty) != 0 ? Errno.EINVAL : Errno.None;
        }

        return ReferenceEquals(domain.Iommu, Dev.Iommu) ? Errno.None : Errno.EINVAL;
    }

    // iommufd_hw_pagetable_put: automatic domains die with their last user.
    private void PutHwpt(HwPageTable hwpt)
    {
        if (hwpt is HwptPaging { AutoDomain: true } paging)
        {
            if (Monitor.IsEntered(paging.Ioas.Mutex))
            {
                throw new ContractViolationException(
                    RuleIds.DetachUnderIoasLock,
                    $"{paging}: an automatic domain is released while the IOAS lock is held; detach after dropping the IOAS lock");
            }

            Context.Objects.PutAndTryDestroy(paging);
        }
        else
        {
            hwpt.DropUser();
        }
    }
}
