// Shape: a type binds its field in Start and detaches it in Stop, but no member of the type ever attaches it
// From: the rule page's class-level case: the field is only ever Bound (attach was moved elsewhere and forgotten)
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class HalfPortedDriver
{
    private IommufdDevice? _idev;

    public Errno Start(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);

    public void Stop()
    {
        if (_idev is null)
        {
            return;
        }

        Iommufd.DeviceDetach(_idev); //~ IOMMU0007
        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new HalfPortedDriver();
        var rc = driver.Start(lab.Ctx, lab.Device());
        driver.Stop();
        return rc;
    }
}
