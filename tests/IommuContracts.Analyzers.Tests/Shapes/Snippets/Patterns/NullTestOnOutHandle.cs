// Shape: the caller tests the handle the call produced for null instead of the Errno (IS_ERR_OR_NULL style)
// From: callers that check the returned idev pointer rather than the error code
// Label: OK
// Runtime: clean EPERM

[DriverManagedDma]
public sealed class PdsVfioLm
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (idev is null)
        {
            Console.WriteLine($"pds {pdev.Address}: bind failed {rc}");
            return rc;
        }

        Console.WriteLine($"pds {pdev.Address}: {Iommufd.DeviceToId(idev)}");
        Iommufd.DeviceUnbind(idev);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var lm = new PdsVfioLm();
        var rc = lm.Open(lab.Ctx, lab.Device());
        return rc != Errno.None ? rc : lm.Open(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
    }
}
