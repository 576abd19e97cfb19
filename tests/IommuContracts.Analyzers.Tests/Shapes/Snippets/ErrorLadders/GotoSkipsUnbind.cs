// Shape: a goto ladder whose failure branch jumps one label too far and skips the unbind
// From: the classic wrong-label bug of C error ladders (QEMU/kernel style err_* labels)
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class NotifyingFunction
{
    public Errno Enable(SimulatedProcess process, int iommufd, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceBind(ictx!, pdev, out var idev, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            goto err_put;
        }

        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc != Errno.None)
        {
            goto err_put;
        }

        Iommufd.CtxPut(events!);
        Iommufd.DeviceUnbind(idev!);
        Iommufd.CtxPut(ictx!);
        return Errno.None;

    err_put:
        Iommufd.CtxPut(ictx!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        new NotifyingFunction().Enable(lab.Process, lab.Fd, 977, lab.Device());
        return Errno.None;
    }
}
