// Shape: a simulated platform hot-plugs a NIC and runs its bus-master self-test before the driver claims it through iommufd
// From: probe paths that enable bus mastering before iommufd_device_bind (K3)
// Label: BUG
// Runtime: violation IOMMU0001

[DriverManagedDma]
public sealed class SimulatedPlatform
{
    private readonly SimulatedKernel _kernel;
    private readonly IommufdCtx _ictx;

    public SimulatedPlatform(SimulatedKernel kernel, IommufdCtx ictx)
    {
        _kernel = kernel;
        _ictx = ictx;
    }

    public Errno HotPlug(PciAddress address)
    {
        var nic = _kernel.AddPciDevice(address, IommuInstance.RealLooking("dmar-hp" + address.Bus));
        var rc = nic.BindDriver(DeviceDriverKind.DriverManagedDma);
        if (rc != Errno.None)
        {
            return rc;
        }

        nic.DmaWrite(0x1000, new byte[] { 0x5A }); //~ IOMMU0001
        rc = Iommufd.DeviceBind(_ictx, nic, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new SimulatedPlatform(lab.Kernel, lab.Ctx).HotPlug(new PciAddress(7, 1, 0, 0));
}
