// Shape: a context reference taken to validate the fd; an early return for a busy group forgets the put
// From: ioctl handlers that validate an iommufd fd argument
// Label: BUG
// Runtime: leak

public static class BindRequestValidator
{
    public static Errno Validate(SimulatedProcess process, int iommufd, IommuGroup group)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        if (Iommufd.CtxHasGroup(ictx!, group))
        {
            return Errno.EBUSY;
        }

        Iommufd.CtxPut(ictx!);
        return Errno.None;
    }
}

// ---- scenario ----
[DriverManagedDma]
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var pdev = lab.Device();
        var rc = Iommufd.DeviceBind(lab.Ctx, pdev, out var idev, out _);
        if (rc != Errno.None) return rc;
        BindRequestValidator.Validate(lab.Process, lab.Fd, pdev.Group);
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}
