// Shape: the driver's own extension methods on IommufdDevice (idev.DetachIfAttached(), idev.Release()) used fluently
// From: C# helper extensions wrapping the kAPI calls a driver repeats
// Label: OK
// Runtime: clean

public static class IdevExtensions
{
    public static void DetachIfAttached(this IommufdDevice idev)
    {
        if (idev.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }
    }

    public static void Release(this IommufdDevice idev)
    {
        idev.DetachIfAttached();
        Iommufd.DeviceUnbind(idev);
    }
}

[DriverManagedDma]
public sealed class FluentDriver
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        Console.WriteLine($"{rc} {hwpt}");
        idev!.Release();
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new FluentDriver().Cycle(lab.Ctx, lab.Device(), lab.Ioas);
}
