using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

// PASID attach, replace and detach (device.c with a pasid other than IOMMU_NO_PASID): each PASID of a group
// has its own attachment, made by the first device and followed by the others; reserved regions are the RID's
// business only. PASID 0 is the RID and takes the RID paths.
internal sealed partial class Device
{
    /// <summary>The PASIDs this device has attached (not the RID), in order.</summary>
    public IReadOnlyList<uint> AttachedPasids
    {
        get
        {
            lock (Group.Lock)
            {
                return Group.Pasids.Where(a => a.Contains(this)).Select(a => a.Pasid).ToList();
            }
        }
    }

    /// <summary>The HWPT <paramref name="pasid"/> of this device is attached to, or null.</summary>
    public HwPageTable? PasidHwpt(uint pasid)
    {
        if (pasid == AttachHandle.NoPasid)
        {
            return AttachedHwpt;
        }

        lock (Group.Lock)
        {
            return Group.Pasid(pasid) is { } attachment && attachment.Contains(this) ? attachment.Hwpt : null;
        }
    }

    /// <summary>
    /// iommufd_device_attach with a PASID: like <see cref="Attach"/>, but for one PASID. EBUSY if this device
    /// has the PASID attached already, EINVAL for a HWPT that is not PASID-compatible (or while the RID uses
    /// one that is not), for an IOAS (automatic domains are not), or a PASID past the device's width.
    /// </summary>
    public Errno AttachPasid(uint pasid, ref ObjectId ptId)
    {
        if (pasid == AttachHandle.NoPasid)
        {
            return Attach(ref ptId);
        }

        var result = ChangePt(ref ptId, (Device device, HwPageTable hwpt, out HwPageTable? destroy) =>
        {
            destroy = null;
            return device.AttachPasidToHwpt(pasid, hwpt);
        }, immediateAttach: true, pasid);
        if (result == Errno.None)
        {
            AddUser();
        }

        return result;
    }

    /// <summary>iommufd_device_replace with a PASID: EINVAL unless this device has the PASID attached.</summary>
    public Errno ReplacePasid(uint pasid, ref ObjectId ptId)
    {
        if (pasid == AttachHandle.NoPasid)
        {
            return Replace(ref ptId);
        }

        return ChangePt(ref ptId, (Device device, HwPageTable hwpt, out HwPageTable? destroy) => DoReplacePasid(device, pasid, hwpt, out destroy),
            immediateAttach: false, pasid);
    }

    /// <summary>iommufd_device_detach with a PASID; false (and nothing happens) when this device has not attached it.</summary>
    public bool DetachPasid(uint pasid)
    {
        if (pasid == AttachHandle.NoPasid)
        {
            var attached = AttachedHwpt is not null;
            Detach();
            return attached;
        }

        if (DetachPasidFromHwpt(pasid) is not { } hwpt)
        {
            return false;
        }

        PutHwpt(hwpt);
        DropUser();
        return true;
    }

    /// <summary>
    /// iommufd_hw_pagetable_attach for a PASID: joins the PASID's attachment (the first device makes it: PASID
    /// compatibility, the attach handle, then the iommu core).
    /// </summary>
    internal Errno AttachPasidToHwpt(uint pasid, HwPageTable hwpt)
    {
        lock (Group.Lock)
        {
            var attachment = Group.Pasid(pasid);
            if (attachment is null)
            {
                // The iommufd_attach of a PASID nobody attached yet.
                var allocated = Context.Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
                if (allocated != Errno.None)
                {
                    return allocated;
                }
            }
            else if (attachment.Contains(this))
            {
                return Errno.EBUSY;
            }
            else if (!ReferenceEquals(attachment.Hwpt, hwpt))
            {
                return Errno.EINVAL;
            }

            if (attachment is null)
            {
                // iommufd_hwpt_attach_device.
                var attached = PasidCompat(hwpt);
                if (attached == Errno.None)
                {
                    attached = Context.Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
                }

                if (attached == Errno.None)
                {
                    attached = AttachDevicePasid(pasid, hwpt);
                }

                if (attached != Errno.None)
                {
                    return attached;
                }

                attachment = new PasidAttachment(pasid, hwpt, new AttachHandle(this, pasid, hwpt));
                Group.AddPasid(attachment);
            }

            hwpt.AddUser();
            attachment.Add(this);
            return Errno.None;
        }
    }

    /// <summary>iommufd_hw_pagetable_detach for a PASID: returns the HWPT the caller must put, or null when this device has not attached it.</summary>
    internal HwPageTable? DetachPasidFromHwpt(uint pasid)
    {
        lock (Group.Lock)
        {
            if (Group.Pasid(pasid) is not { } attachment || !attachment.Contains(this))
            {
                return null;
            }

            attachment.Remove(this);
            if (attachment.Devices.Count == 0)
            {
                // iommu_detach_device_pasid puts the PASID on the blocking domain; pending faults are answered.
                foreach (var member in PasidCapableMembers())
                {
                    Drivers.MockDriver.SetDevPasid(member, pasid, blocking: true);
                }

                Group.RemovePasid(pasid);
                attachment.Hwpt.Fault?.AutoRespond(attachment.Handle);
            }

            return attachment.Hwpt;
        }
    }

    // iommufd_device_do_replace for a PASID: the attachment moves to the new HWPT for every device of the group
    // that attached the PASID; their references move with it and the caller puts the last old one.
    private static Errno DoReplacePasid(Device device, uint pasid, HwPageTable hwpt, out HwPageTable? destroy)
    {
        destroy = null;
        var group = device.Group;
        lock (group.Lock)
        {
            if (group.Pasid(pasid) is not { } attachment || !attachment.Contains(device))
            {
                return Errno.EINVAL;
            }

            var old = attachment.Hwpt;
            if (ReferenceEquals(old, hwpt))
            {
                return Errno.None;
            }

            // iommufd_hwpt_replace_device: PASID compatibility, the new handle, then iommu_replace_device_pasid.
            var replaced = device.PasidCompat(hwpt);
            if (replaced == Errno.None)
            {
                replaced = device.Context.Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
            }

            if (replaced == Errno.None)
            {
                replaced = device.ReplaceDevicePasid(pasid, hwpt);
            }

            if (replaced != Errno.None)
            {
                return replaced;
            }

            // The old handle's pending faults are answered from the new HWPT's queue, as for the RID.
            var oldHandle = attachment.Handle;
            attachment.Hwpt = hwpt;
            attachment.Handle = new AttachHandle(device, pasid, hwpt);
            hwpt.Fault?.AutoRespond(oldHandle);

            destroy = MoveDeviceReferences(old, hwpt, attachment.Devices.Count);
            return Errno.None;
        }
    }

    // iommufd_hwpt_pasid_compat for the RID: a HWPT that is not PASID-compatible is refused while PASIDs are attached.
    private Errno RidPasidCompat(HwPageTable hwpt) => !hwpt.PasidCompat && Group.Pasids.Count != 0 ? Errno.EINVAL : Errno.None;

    // iommufd_hwpt_pasid_compat for a PASID: the HWPT must be PASID-compatible, and so must the RID's.
    private Errno PasidCompat(HwPageTable hwpt)
        => !hwpt.PasidCompat || Group.Hwpt is { PasidCompat: false } ? Errno.EINVAL : Errno.None;

    // iommu_attach_device_pasid: a domain of this device's IOMMU driver, a PASID within the width of every device
    // of the group that has PASIDs, then set_dev_pasid on each of those.
    private Errno AttachDevicePasid(uint pasid, HwPageTable hwpt)
    {
        if (!PasidDomainCompatible(hwpt))
        {
            return Errno.EINVAL;
        }

        foreach (var member in PasidCapableMembers())
        {
            if (pasid >= MaxPasids(member))
            {
                return Errno.EINVAL;
            }
        }

        return SetGroupPasid(pasid);
    }

    // iommu_replace_device_pasid: the same domain check; set_dev_pasid moves the PASID, and a failure leaves the old domain.
    private Errno ReplaceDevicePasid(uint pasid, HwPageTable hwpt) => PasidDomainCompatible(hwpt) ? SetGroupPasid(pasid) : Errno.EINVAL;

    // __iommu_set_group_pasid: only devices with PASID support take part (a group's no-PASID devices never tag DMA).
    private Errno SetGroupPasid(uint pasid)
    {
        foreach (var member in PasidCapableMembers())
        {
            var set = Drivers.MockDriver.SetDevPasid(member, pasid, blocking: false);
            if (set != Errno.None)
            {
                return set;
            }
        }

        return Errno.None;
    }

    // domain_iommu_ops_compatible: the domain comes from this device's IOMMU driver (for real drivers, its IOMMU).
    private bool PasidDomainCompatible(HwPageTable hwpt)
    {
        var iommu = hwpt.TranslatingDomain.Iommu;
        return iommu.Driver == Dev.Iommu.Driver && (iommu.Driver == IommuDriverKind.Mock || ReferenceEquals(iommu, Dev.Iommu));
    }

    private IEnumerable<PciDevice> PasidCapableMembers() => Dev.Group.Devices.Where(d => MaxPasids(d) > 0);

    // dev->iommu->max_pasids: the device's PASID width as its IOMMU supports it.
    private static ulong MaxPasids(PciDevice device) => device.Iommu.MaxPasidLog2 > 0 ? 1UL << device.Iommu.MaxPasidLog2 : 0;
}
