// Shape: (spec) a helper that releases only when its flag argument says so; the caller passes true and keeps using the handle
// From: issue 9 §3 inference cases: "one that conditionally releases"
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class MaybeReleased
{
    public Errno Reset(IommufdCtx ictx, PciDevice pdev, bool hard)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Quiesce(idev!, hard);
        Console.WriteLine($"reset {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0052|IOMMU0002
        if (!hard)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        return Errno.None;
    }

    private static void Quiesce(IommufdDevice idev, bool release)
    {
        if (release)
        {
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new MaybeReleased().Reset(lab.Ctx, lab.Device(), hard: true);
}
