// Shape: the result pattern inverted by mistake (is not Errno.None guarding the success work)
// From: a refactoring from `if (rc) goto err;` that flipped the test
// Label: BUG
// Runtime: violation IOMMU0003

[DriverManagedDma]
public sealed class XeVfioFunction
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc is not Errno.None)
        {
            Console.WriteLine($"xe {pdev.Address}: {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0003
            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new XeVfioFunction().Open(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
}
