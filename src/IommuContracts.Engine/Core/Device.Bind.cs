using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

// iommufd_device_bind / iommufd_device_unbind.
internal sealed partial class Device
{
    /// <summary>
    /// iommufd_device_bind: EINVAL without cache coherency, EPERM when MSIs cannot be isolated (unless unsafe
    /// interrupts are allowed, which is logged), EPERM when a kernel driver or another context owns the
    /// group. On success the whole device (its requester ID) is under this context and its DMA is blocked.
    /// </summary>
    public static Errno Bind(IommufdContext context, PciDevice dev, out Device? idev)
    {
        idev = null;
        if (!dev.Iommu.CacheCoherency)
        {
            return Errno.EINVAL;
        }

        var grouped = context.GetGroup(dev.Group, out var group);
        if (grouped != Errno.None)
        {
            return grouped;
        }

        if (!dev.IsSelftestMock && !dev.Iommu.MsiIsolation)
        {
            if (!context.Kernel.AllowUnsafeInterrupts)
            {
                context.PutGroup(group!);
                return Errno.EPERM;
            }

            context.Kernel.Log.Info($"{dev.Address}: MSI interrupts are not secure, they cannot be isolated by the platform (allow_unsafe_interrupts is set)");
        }

        var claimed = dev.Group.ClaimDmaOwner(context);
        if (claimed != Errno.None)
        {
            context.PutGroup(group!);
            return claimed;
        }

        var device = new Device(context, dev, group!);
        var allocated = context.Objects.Allocate(device);
        if (allocated != Errno.None)
        {
            dev.Group.ReleaseDmaOwner(context);
            context.PutGroup(group!);
            return allocated;
        }

        if (device.HoldsContextReference)
        {
            context.GetFileReference();
        }

        // The binding driver's reference: only unbind drops it.
        device.AddUser();
        dev.IsBoundToIommufd = true;
        context.Objects.Publish(device);
        idev = device;
        return Errno.None;
    }

    /// <summary>
    /// iommufd_device_unbind: the owner destroys the idev (EBUSY and a WARN if anything still holds it). Its
    /// pre-destroy step first destroys the device's vDEVICE, whose ID stays a tombstone.
    /// </summary>
    public Errno Unbind()
    {
        RemoveVdevice();
        return Context.Objects.RemoveOwned(this);
    }

    // iommufd_device_remove_vdev: no new vDEVICE after this; a live one is destroyed, leaving its ID taken.
    private void RemoveVdevice()
    {
        Vdevice? vdev;
        lock (Group.Lock)
        {
            Destroying = true;

            // Gone already, or a user DESTROY is removing it right now (it then finishes on its own).
            if (Vdev is not { } current || !Context.Objects.TryLock(current))
            {
                return;
            }

            vdev = current;
            vdev.AddUser();
            Context.Objects.Put(vdev);
        }

        Context.Objects.Tombstone(vdev);
    }
}
