using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Drivers;

/// <summary>vfio-pci: binding it to a device declares driver-managed DMA and creates the device's cdev node.</summary>
public static class VfioPciDriver
{
    private static int s_nextIndex;

    /// <summary>Binds vfio-pci to <paramref name="device"/> and returns its /dev/vfio/devices node.</summary>
    public static VfioDeviceNode Bind(PciDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.BindDriverManagedDma();
        return new VfioDeviceNode(device, Interlocked.Increment(ref s_nextIndex) - 1);
    }
}
