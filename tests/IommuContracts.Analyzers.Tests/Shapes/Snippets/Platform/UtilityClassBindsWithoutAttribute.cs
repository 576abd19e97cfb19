// Shape: a shared utility class outside the driver binds devices on its behalf, without declaring driver-managed DMA
// From: helpers factored out of a driver into a common library class
// Label: BUG
// Runtime: errno EPERM

public static class IommufdUtil
{
    public static Errno BindAndReport(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id); //~ IOMMU0009
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address}: {id}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    // A caller that did not declare driver-managed DMA is a DMA-API driver: its devices are bound to such a driver.
    public static Errno Run(TwinLab lab) => IommufdUtil.BindAndReport(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
}
