// Shape: a validation helper that throws is called between bind and the hand-off; its exception leaks the binding
// From: probe code calling a "check capabilities" helper after claiming the device
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class CapabilityCheckedDriver
{
    private IommufdDevice? _idev;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        RequireIsolatedMsi(pdev);
        _idev = idev;
        return Errno.None;
    }

    public void Remove()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }

    private static void RequireIsolatedMsi(PciDevice pdev)
    {
        if (pdev.ReservedRegions.Count == 0)
        {
            throw new NotSupportedException($"{pdev.Address}: no MSI window reported");
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new CapabilityCheckedDriver();
        try
        {
            driver.Probe(lab.Ctx, lab.Device());
        }
        catch (NotSupportedException)
        {
        }

        driver.Remove();
        return Errno.None;
    }
}
