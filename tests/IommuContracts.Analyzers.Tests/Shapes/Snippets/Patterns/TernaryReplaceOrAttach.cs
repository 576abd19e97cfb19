// Shape: the rule page's own idiom: rc = idev.IsAttached ? Replace(...) : Attach(...)
// From: docs/rules/IOMMU0005.md (choose with the state query)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class TernaryDriver
{
    private IommufdDevice? _idev;

    public Errno Open(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);

    public Errno SetIoas(IoasId ioas, out HwptId hwpt)
    {
        var idev = _idev!;
        return idev.IsAttached ? Iommufd.DeviceReplace(idev, ioas, out hwpt) : Iommufd.DeviceAttach(idev, ioas, out hwpt);
    }

    public void Close()
    {
        if (_idev is null)
        {
            return;
        }

        if (_idev.IsAttached)
        {
            Iommufd.DeviceDetach(_idev);
        }

        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new TernaryDriver();
        var rc = driver.Open(lab.Ctx, lab.Device());
        if (rc == Errno.None) rc = driver.SetIoas(lab.Ioas, out _);
        if (rc == Errno.None) rc = driver.SetIoas(lab.Ioas, out var hwpt);
        driver.Close();
        return rc;
    }
}
