// Shape: the failure is tested but only logged; the code goes on and uses the idev the failed bind never produced
// From: "if (ret) dev_err(...);" without a return, a classic in probe paths
// Label: BUG
// Runtime: violation IOMMU0003

[DriverManagedDma]
public sealed class IceVfioFunction
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            Console.WriteLine($"ice {pdev.Address}: bind failed: {rc}");
        }

        Console.WriteLine($"ice {pdev.Address}: device {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0003
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new IceVfioFunction().Open(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
}
