// Shape: a helper binds and hands the idev back through out; the caller only wanted the device ID and drops the idev
// From: a probe that binds to learn out_device_id and never unbinds
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class DeviceIdProbe
{
    public Errno QueryId(IommufdCtx ictx, PciDevice pdev, out DeviceId id)
    {
        var rc = Bind(ictx, pdev, out var idev, out id); //~ IOMMU0008
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address} would be device {id}");
        return Errno.None;
    }

    private static Errno Bind(IommufdCtx ictx, PciDevice pdev, out IommufdDevice? idev, out DeviceId id)
        => Iommufd.DeviceBind(ictx, pdev, out idev, out id);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DeviceIdProbe().QueryId(lab.Ctx, lab.Device(), out _);
}
