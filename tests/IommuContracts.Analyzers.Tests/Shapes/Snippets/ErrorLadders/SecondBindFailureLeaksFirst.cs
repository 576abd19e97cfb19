// Shape: two functions of one card bound in turn; the failure of the second returns without unbinding the first
// From: drivers/iommu/iommufd/selftest.c (mock domain setup) and multi-function probe paths
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class DualPortNic
{
    private IommufdDevice? _port0;
    private IommufdDevice? _port1;

    public Errno Probe(IommufdCtx ictx, PciDevice fn0, PciDevice fn1)
    {
        var rc = Iommufd.DeviceBind(ictx, fn0, out var port0, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceBind(ictx, fn1, out var port1, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        _port0 = port0;
        _port1 = port1;
        return Errno.None;
    }

    public void Remove()
    {
        if (_port1 is { } port1)
        {
            Iommufd.DeviceUnbind(port1);
            _port1 = null;
        }

        if (_port0 is { } port0)
        {
            Iommufd.DeviceUnbind(port0);
            _port0 = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        // The second function's driver still uses the DMA API: its bind fails with EPERM.
        var nic = new DualPortNic();
        var rc = nic.Probe(lab.Ctx, lab.Device(), lab.Device(driver: DeviceDriverKind.DmaApi));
        nic.Remove();
        return rc;
    }
}
