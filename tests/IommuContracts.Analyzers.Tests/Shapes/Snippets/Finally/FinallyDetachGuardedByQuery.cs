// Shape: the same finally, guarded by the state query, so it is right for both outcomes of the attach
// From: the fixed form of a finally-based teardown
// Label: OK
// Runtime: clean ENOENT

[DriverManagedDma]
public sealed class GuardedFinally
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
            if (rc != Errno.None)
            {
                return rc;
            }

            Console.WriteLine($"working on {hwpt}");
            return Errno.None;
        }
        finally
        {
            if (idev!.IsAttached)
            {
                Iommufd.DeviceDetach(idev);
            }

            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new GuardedFinally();
        var rc = driver.Run(lab.Ctx, lab.Device(), lab.Ioas);
        return rc != Errno.None ? Errno.EINVAL : driver.Run(lab.Ctx, lab.Device(), new IoasId(4242));
    }
}
