// Shape: the state query written as a property pattern with a designation (if (_idev is { IsAttached: true } idev) detach)
// From: modern C# style of "if (vdev->iommufd_attached) iommufd_device_detach(...)"
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class PatternDriver
{
    private IommufdDevice? _idev;

    public Errno Open(IommufdCtx ictx, PciDevice pdev, IoasId ioas, out HwptId hwpt)
    {
        hwpt = HwptId.None;
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        return Iommufd.DeviceAttach(_idev!, ioas, out hwpt);
    }

    public void Close()
    {
        if (_idev is { IsAttached: true } attached)
        {
            Iommufd.DeviceDetach(attached);
        }

        if (_idev is { } idev)
        {
            Iommufd.DeviceUnbind(idev);
            _idev = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new PatternDriver();
        var rc = driver.Open(lab.Ctx, lab.Device(), lab.Ioas, out var hwpt);
        Console.WriteLine(hwpt);
        driver.Close();
        return rc;
    }
}
