using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A device bound to a context (the kernel's iommufd_device, "idev"). Created only by bind, destroyed only
/// by unbind (the binding driver holds a reference, so user space can never DESTROY it).
/// </summary>
[IommufdObject(typeof(DeviceId), Kind = 1)]
internal sealed partial class Device : IommufdObject
{
    public Device(IommufdContext context, PciDevice dev, IommufdGroup group)
        : base(context)
    {
        Dev = dev;
        Group = group;
        EnforceCacheCoherency = dev.Iommu.EnforceCacheCoherency;
    }

    public PciDevice Dev { get; }

    public IommufdGroup Group { get; }

    /// <summary>The device's IOMMU can enforce cache coherency, so its domains must.</summary>
    public bool EnforceCacheCoherency { get; }

    /// <summary>Real devices pin the context's file while bound (iommufd_ctx_get); selftest mocks do not.</summary>
    public bool HoldsContextReference => !Dev.IsSelftestMock;

    /// <summary>The device's virtual device in a vIOMMU (at most one); guarded by the group lock.</summary>
    public Vdevice? Vdev { get; set; }

    /// <summary>Set by the pre-destroy step of unbind: no new vDEVICE may refer to the device.</summary>
    public bool Destroying { get; set; }

    /// <summary>The HWPT this device is attached to (for its RID), or null.</summary>
    public HwPageTable? AttachedHwpt
    {
        get
        {
            lock (Group.Lock)
            {
                return Group.IsAttached(this) ? Group.Hwpt : null;
            }
        }
    }

    /// <summary>iommufd_device_destroy: DMA back to the kernel, group state dropped, context reference put.</summary>
    internal void Destroy()
    {
        Dev.IsBoundToIommufd = false;
        Dev.Group.ReleaseDmaOwner(Context);
        Context.PutGroup(Group);
        if (HoldsContextReference)
        {
            Context.PutFileReference();
        }
    }
}
