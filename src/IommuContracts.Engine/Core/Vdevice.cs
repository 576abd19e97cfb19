using IommuContracts.Contracts;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A virtual device (IOMMUFD_OBJ_VDEVICE, IOMMU_VDEVICE_ALLOC): a bound device's ID in a guest's vIOMMU (a
/// virtual stream or RID). A device has at most one, and a virtual ID names at most one device per vIOMMU.
/// It holds a user on the vIOMMU. Unbinding the device destroys it and leaves its ID a tombstone.
/// </summary>
[IommufdObject(typeof(VdeviceId), Kind = 8)]
internal sealed partial class Vdevice : IommufdObject
{
    public Vdevice(IommufdContext context, Viommu viommu, Device idev, ulong virtId)
        : base(context)
    {
        Viommu = viommu;
        Idev = idev;
        VirtId = virtId;
    }

    public Viommu Viommu { get; }

    public Device Idev { get; }

    public ulong VirtId { get; }

    /// <summary>iommufd_vdevice_abort: out of the vIOMMU's table, its user on the vIOMMU and the device's link go (group lock held).</summary>
    internal void Abort()
    {
        Viommu.RemoveVdevice(this);
        Viommu.DropUser();
        if (ReferenceEquals(Idev.Vdev, this))
        {
            Idev.Vdev = null;
        }
    }

    /// <summary>iommufd_vdevice_destroy: the abort under the device's group lock.</summary>
    internal void Destroy()
    {
        lock (Idev.Group.Lock)
        {
            Abort();
        }
    }
}
