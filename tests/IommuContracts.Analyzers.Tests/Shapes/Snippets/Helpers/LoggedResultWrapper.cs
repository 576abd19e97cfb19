// Shape: every kAPI call wrapped in a logging helper that returns its Errno unchanged
// From: QEMU-style trace_*/error_setg_errno wrappers around each step
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class TracedBinder
{
    public Errno BindAndReport(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Traced(Iommufd.DeviceBind(ictx, pdev, out var idev, out var devId), "iommufd_device_bind", pdev);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"devid {devId}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private static Errno Traced(Errno rc, string call, PciDevice pdev)
    {
        Console.WriteLine($"{call}({pdev.Address}) = {rc}");
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new TracedBinder().BindAndReport(lab.Ctx, lab.Device());
}
