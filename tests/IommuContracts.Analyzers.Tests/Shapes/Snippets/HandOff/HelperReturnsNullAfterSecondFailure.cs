// Shape: a bind helper returns the idev, but its second step's failure returns null and drops the bound idev
// From: factory helpers that grew a second step without an unwind
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public static class CheckedBinder
{
    public static IommufdDevice? BindChecked(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return null;
        }

        if (Iommufd.CtxFromFd(process, eventFd, out var events) != Errno.None)
        {
            return null;
        }

        Iommufd.CtxPut(events!);
        return idev;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var idev = CheckedBinder.BindChecked(lab.Process, lab.Ctx, 977, lab.Device());
        if (idev is not null) Iommufd.DeviceUnbind(idev);
        return Errno.None;
    }
}
