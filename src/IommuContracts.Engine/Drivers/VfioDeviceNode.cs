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

    public PciDevice Device { get; }

    public int Index { get; }

    public string Path => $"/dev/vfio/devices/vfio{Index}";

    /// <summary>The open file currently bound to iommufd (one cdev binding per device at a time).</summary>
    internal VfioDeviceFile? BoundFile { get; set; }

    internal object Lock { get; } = new();

    public override string ToString() => Path;
}
