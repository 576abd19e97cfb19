// Shape: a helper returning a (Errno, IommufdDevice?) tuple, deconstructed by the caller
// From: modern C# style of returning a result with its output
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class TupleDriver
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev)
    {
        var (rc, idev) = Bind(ictx, pdev);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(Iommufd.DeviceToId(idev!));
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private static (Errno Rc, IommufdDevice? Idev) Bind(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        return (rc, idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new TupleDriver().Run(lab.Ctx, lab.Device());
}
