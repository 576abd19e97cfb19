// Shape: (spec) a helper that detaches the device it is given; the caller attaches, calls it, and unbinds
// From: issue 9 §3 inference cases: "a helper that detaches"
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class QuiescingDriver
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc == Errno.None)
        {
            Console.WriteLine($"running on {hwpt}");
            Quiesce(idev!);
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }

    private static void Quiesce(IommufdDevice idev)
    {
        Console.WriteLine("stopping DMA");
        Iommufd.DeviceDetach(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new QuiescingDriver().Cycle(lab.Ctx, lab.Device(), lab.Ioas);
}
