// Shape: a helper class nested in the driver does the binding; the attribute on the driver covers it
// From: drivers keeping their iommufd glue in a nested type
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class AcceleratorDriver
{
    private readonly Glue _glue = new();

    public Errno Probe(IommufdCtx ictx, PciDevice pdev) => _glue.BindOnce(ictx, pdev);

    private sealed class Glue
    {
        public Errno BindOnce(IommufdCtx ictx, PciDevice pdev)
        {
            var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
            if (rc == Errno.None)
            {
                Iommufd.DeviceUnbind(idev!);
            }

            return rc;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AcceleratorDriver().Probe(lab.Ctx, lab.Device());
}
