// Shape: the state query through a null-conditional on a field (if (_idev?.IsAttached == true) detach)
// From: nullable fields in C# drivers
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class NullableFieldDriver
{
    private IommufdDevice? _idev;
    private HwptId _hwpt;

    public Errno Start(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        if (rc == Errno.None)
        {
            rc = Iommufd.DeviceAttach(_idev!, ioas, out _hwpt);
        }

        return rc;
    }

    public void Stop()
    {
        if (_idev?.IsAttached == true)
        {
            Iommufd.DeviceDetach(_idev);
        }

        if (_idev is not null)
        {
            Iommufd.DeviceUnbind(_idev);
            _idev = null;
        }

        Console.WriteLine($"was on {_hwpt}");
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new NullableFieldDriver();
        var rc = driver.Start(lab.Ctx, lab.Device(), lab.Ioas);
        driver.Stop();
        return rc;
    }
}
