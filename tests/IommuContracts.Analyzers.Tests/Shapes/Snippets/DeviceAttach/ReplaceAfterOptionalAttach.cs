// Shape: an initial attach only when a boot IOAS is configured, then a replace to the runtime IOAS on every path
// From: two-stage bring-up (firmware IOAS, then the guest's) with an optional first stage
// Label: BUG
// Runtime: errno EINVAL

[DriverManagedDma]
public sealed class TwoStageBringUp
{
    public Errno Start(IommufdCtx ictx, PciDevice pdev, IoasId? bootIoas, IoasId guestIoas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        if (bootIoas is { } boot)
        {
            rc = Iommufd.DeviceAttach(idev!, boot, out var bootHwpt);
            if (rc != Errno.None)
            {
                Iommufd.DeviceUnbind(idev!);
                return rc;
            }

            Console.WriteLine($"firmware stage on {bootHwpt}");
        }

        rc = Iommufd.DeviceReplace(idev!, guestIoas, out var hwpt); //~ IOMMU0056
        Console.WriteLine($"guest stage on {hwpt}");
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
    public static Errno Run(TwinLab lab) => new TwoStageBringUp().Start(lab.Ctx, lab.Device(), null, lab.Ioas);
}
