// Shape: a helper that returns the idev (or null on failure) like iommufd_device_bind returns a pointer
// From: the kernel's own signature (struct iommufd_device *iommufd_device_bind(...)) as a C# method
// Label: OK
// Runtime: clean

[DriverManagedDma]
public static class Binder
{
    public static IommufdDevice? BindOrNull(IommufdCtx ictx, PciDevice pdev, out Errno error)
    {
        error = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        return error == Errno.None ? idev : null;
    }

    public static Errno Cycle(IommufdCtx ictx, PciDevice pdev)
    {
        var idev = BindOrNull(ictx, pdev, out var error);
        if (idev is null)
        {
            return error;
        }

        Iommufd.DeviceUnbind(idev);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => Binder.Cycle(lab.Ctx, lab.Device());
}
