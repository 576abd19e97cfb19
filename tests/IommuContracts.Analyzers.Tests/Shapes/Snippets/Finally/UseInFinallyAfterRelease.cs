// Shape: every normal path unbinds, and the finally logs the device ID through the released idev
// From: "log on the way out" in a finally that outlived a refactor
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class AuditedProbe
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev, bool quick)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            if (quick)
            {
                Iommufd.DeviceUnbind(idev!);
                return Errno.None;
            }

            Console.WriteLine("full probe");
            Iommufd.DeviceUnbind(idev!);
            return Errno.None;
        }
        finally
        {
            Console.WriteLine($"audit: {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0002|IOMMU0052
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AuditedProbe().Probe(lab.Ctx, lab.Device(), quick: true);
}
