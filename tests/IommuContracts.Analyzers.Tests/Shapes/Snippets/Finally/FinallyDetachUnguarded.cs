// Shape: a finally detaches on the way out, also when the attach inside the try failed
// From: K9 through a finally written for the success path
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class FinallyDetach
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
            if (rc != Errno.None)
            {
                return rc;
            }

            Console.WriteLine($"working on {hwpt}");
            return Errno.None;
        }
        finally
        {
            Iommufd.DeviceDetach(idev!); //~ IOMMU0057
            Iommufd.DeviceUnbind(idev!);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new FinallyDetach().Run(lab.Ctx, lab.Device(), new IoasId(4242));
}
