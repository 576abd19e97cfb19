// Shape: probe binds into a field; remove tears down the driver's own state but never unbinds
// From: a remove path that lost its iommufd_device_unbind in a refactor
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class Ntb
{
    private IommufdDevice? _idev; //~ IOMMU0017
    private int _doorbells;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        _doorbells = 16;
        return Errno.None;
    }

    public void Remove()
    {
        _doorbells = 0;
        Console.WriteLine($"ntb removed, doorbells {_doorbells}, bound {_idev is not null}");
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var ntb = new Ntb();
        var rc = ntb.Probe(lab.Ctx, lab.Device());
        ntb.Remove();
        return rc;
    }
}
