// Shape: a probe only wants the device ID and discards the idev itself (out _): the binding can never be released
// From: "we just need the devid" shortcuts around iommufd_device_bind
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class DevIdLookup
{
    public Errno DeviceIdOf(IommufdCtx ictx, PciDevice pdev, out DeviceId id)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _, out id); //~ IOMMU0008
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address} -> {id}");
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DevIdLookup().DeviceIdOf(lab.Ctx, lab.Device(), out _);
}
