// Shape: the platform binds first and only then lets the device issue DMA (blocked until attach, but owned)
// From: the fixed order of K3: bind, then bus mastering
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class OrderedPlatform
{
    public Errno HotPlug(SimulatedKernel kernel, IommufdCtx ictx, PciAddress address)
    {
        var dev = kernel.AddPciDevice(address, IommuInstance.RealLooking("dmar-ord" + address.Bus));
        var rc = dev.BindDriver(DeviceDriverKind.DriverManagedDma);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceBind(ictx, dev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        var fault = dev.DmaWrite(0x1000, new byte[] { 0x5A });
        Console.WriteLine(fault is null ? "DMA went through" : $"DMA blocked: {fault.Reason}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new OrderedPlatform().HotPlug(lab.Kernel, lab.Ctx, new PciAddress(7, 3, 0, 0));
}
