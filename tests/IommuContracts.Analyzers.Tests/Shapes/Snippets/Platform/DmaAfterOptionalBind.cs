// Shape: the platform binds the new device only when an iommufd is configured, and starts its DMA either way
// From: optional-IOMMU code paths (noiommu fallbacks) that still program the device
// Label: BUG
// Runtime: violation IOMMU0001

[DriverManagedDma]
public sealed class OptionalIommuPlatform
{
    public Errno HotPlug(SimulatedKernel kernel, IommufdCtx? ictx, PciAddress address)
    {
        var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("dmar-opt" + address.Bus));
        var rc = dev.BindDriver(DeviceDriverKind.DriverManagedDma);
        if (rc != Errno.None)
        {
            return rc;
        }

        IommufdDevice? idev = null;
        if (ictx is not null)
        {
            rc = Iommufd.DeviceBind(ictx, dev, out idev, out _);
            if (rc != Errno.None)
            {
                return rc;
            }
        }

        dev.DmaRead(0x1000, new byte[8]); //~ IOMMU0051
        if (idev is not null)
        {
            Iommufd.DeviceUnbind(idev);
        }

        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new OptionalIommuPlatform().HotPlug(lab.Kernel, null, new PciAddress(7, 2, 0, 0));
}
