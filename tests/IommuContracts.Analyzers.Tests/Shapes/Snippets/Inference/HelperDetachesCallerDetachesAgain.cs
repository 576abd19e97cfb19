// Shape: (spec) a helper detaches; the caller, unaware, detaches again before unbinding
// From: issue 9 §3 inference cases: a detaching helper's effect at the call site
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class DoubleQuiesce
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Console.WriteLine($"on {hwpt}");
        StopDma(idev!);
        Iommufd.DeviceDetach(idev!); //~ IOMMU0007
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private static void StopDma(IommufdDevice idev) => Iommufd.DeviceDetach(idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DoubleQuiesce().Cycle(lab.Ctx, lab.Device(), lab.Ioas);
}
