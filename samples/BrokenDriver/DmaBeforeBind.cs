using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>A driver that starts DMA before iommufd owns the device (K3).</summary>
[DriverManagedDma]
public sealed class DmaBeforeBind
{
    public Errno Start(SimulatedKernel kernel, IommufdCtx ctx, PciAddress address)
    {
        var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("iommu0"));
        dev.DmaWrite(0x1000, new byte[8]); // IOMMU0001
        var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    public void StartIfBound(SimulatedKernel kernel, IommufdCtx ctx, PciAddress address)
    {
        var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("iommu0"));
        if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) == Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        dev.DmaRead(0x1000, new byte[8]); // IOMMU0051
    }
}
