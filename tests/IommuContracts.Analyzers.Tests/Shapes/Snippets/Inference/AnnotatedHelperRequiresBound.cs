// Shape: (spec) a helper annotated [RequiresState("Bound")] called with a handle the caller just bound
// From: issue 9 §2: annotations stay the way to state a contract explicitly
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class AnnotatedDriver
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Report(idev!);
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private static void Report([RequiresState("Bound")] IommufdDevice idev) => Console.WriteLine(Iommufd.DeviceToId(idev));
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AnnotatedDriver().Probe(lab.Ctx, lab.Device());
}
