// Shape: (spec) a helper that detaches only when the device is attached; the caller calls it on both outcomes of the attach
// From: issue 9 §3 inference cases: "one that conditionally detaches"
// Label: OK
// Runtime: clean ENOENT

[DriverManagedDma]
public sealed class TolerantDriver
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        Console.WriteLine(rc == Errno.None ? $"on {hwpt}" : $"attach failed: {rc}");
        DetachIfAttached(idev!);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }

    private static void DetachIfAttached(IommufdDevice idev)
    {
        if (!idev.IsAttached)
        {
            return;
        }

        Iommufd.DeviceDetach(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new TolerantDriver();
        var rc = driver.Cycle(lab.Ctx, lab.Device(), lab.Ioas);
        return rc != Errno.None ? Errno.EINVAL : driver.Cycle(lab.Ctx, lab.Device(), new IoasId(4242));
    }
}
