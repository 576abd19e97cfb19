// Shape: (spec) a helper that unbinds the handle it is given; the caller keeps using the handle afterwards
// From: issue 9 §3 inference cases: "a helper that releases"
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class TeardownHelperUser
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Teardown(idev!);
        Console.WriteLine($"torn down {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0002
        return Errno.None;
    }

    private static void Teardown(IommufdDevice idev)
    {
        Console.WriteLine("teardown");
        Iommufd.DeviceUnbind(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new TeardownHelperUser().Cycle(lab.Ctx, lab.Device());
}
