// Shape: the body unbinds on its success path and the finally unbinds again
// From: a finally added for the error paths without removing the happy-path unbind
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class BeltAndBraces
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            Console.WriteLine(Iommufd.DeviceToId(idev!));
            Iommufd.DeviceUnbind(idev!);
            return Errno.None;
        }
        finally
        {
            Iommufd.DeviceUnbind(idev!); //~ IOMMU0052|IOMMU0002
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new BeltAndBraces().Run(lab.Ctx, lab.Device());
}
