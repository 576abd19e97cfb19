// Shape: (spec) the release captured in a lambda that the method invokes itself before returning
// From: issue 9 §3 inference cases: lambdas
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class LambdaCleanup
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Action release = () => Iommufd.DeviceUnbind(idev!);
        Console.WriteLine($"probed {Iommufd.DeviceToId(idev!)}");
        release();
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new LambdaCleanup().Probe(lab.Ctx, lab.Device());
}
