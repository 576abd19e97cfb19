// Shape: a "set IOAS" path that always uses replace, also for a device that was only bound
// From: K8: replace moves an attachment, it does not create one
// Label: BUG
// Runtime: errno EINVAL

[DriverManagedDma]
public sealed class AlwaysReplace
{
    public Errno Assign(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceReplace(idev!, ioas, out var hwpt); //~ IOMMU0006
        Console.WriteLine($"now on {hwpt}");
        if (idev!.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }

        Iommufd.DeviceUnbind(idev);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AlwaysReplace().Assign(lab.Ctx, lab.Device(), lab.Ioas);
}
