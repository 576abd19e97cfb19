// Shape: a partial driver class: probe in one part, remove in the other (generated + hand-written split)
// From: C# drivers split across partial declarations
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed partial class SplitDriver
{
    private IommufdDevice? _idev;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
}

public sealed partial class SplitDriver
{
    public void Remove()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new SplitDriver();
        var rc = driver.Probe(lab.Ctx, lab.Device());
        driver.Remove();
        return rc;
    }
}
