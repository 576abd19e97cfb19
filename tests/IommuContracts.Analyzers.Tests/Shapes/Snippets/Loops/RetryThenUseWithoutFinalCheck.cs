// Shape: the same retry loop, but after it the idev is used without testing how the last attempt ended
// From: retry loops whose exit condition is mistaken for success
// Label: BUG
// Runtime: violation IOMMU0003

[DriverManagedDma]
public sealed class OptimisticBinder
{
    public Errno Claim(IommufdCtx ictx, PciDevice pdev)
    {
        var attempt = 0;
        Errno rc;
        IommufdDevice? idev;
        do
        {
            rc = Iommufd.DeviceBind(ictx, pdev, out idev, out _);
        }
        while (rc == Errno.EBUSY && ++attempt < 3);

        Console.WriteLine($"claimed {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0003
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new OptimisticBinder().Claim(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
}
