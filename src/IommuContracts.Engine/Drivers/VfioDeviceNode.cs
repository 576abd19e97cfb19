using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Drivers;

/// <summary>/dev/vfio/devices/vfioN: the character device of one device bound to the VFIO driver.</summary>
public sealed class VfioDeviceNode
{
    internal VfioDeviceNode(PciDevice device, int index)
    {
        Device = device;
        Index = index;
    }

    /// <summary>The PCI device this node gives user space access to.</summary>
    public PciDevice Device { get; }

    /// <summary>The N of /dev/vfio/devices/vfioN.</summary>
    public int Index { get; }

    /// <summary>The node's path, <c>/dev/vfio/devices/vfioN</c>.</summary>
    public string Path => $"/dev/vfio/devices/vfio{Index}";

    /// <summary>The open file currently bound to iommufd (one cdev binding per device at a time).</summary>
    internal VfioDeviceFile? BoundFile { get; set; }

    internal object Lock { get; } = new();

    /// <summary>The node's path.</summary>
    /// <returns><see cref="Path"/>.</returns>
    public override string ToString() => Path;
}
