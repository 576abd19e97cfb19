// Shape: the same kind of ladder taken on its failure branch: the access step fails and the labels unwind bind and reference
// From: QEMU hw/vfio/iommufd.c (iommufd_cdev_attach: err_attach_container / err_alloc_ioas / err_connect_bind)
// Label: OK
// Runtime: clean EBADF

[DriverManagedDma]
public sealed class EventedFunction
{
    public Errno Enable(SimulatedProcess process, int iommufd, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceBind(ictx!, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            goto err_put;
        }

        // The event queue lives in the context user space passed for events; it must be an iommufd too.
        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc != Errno.None)
        {
            goto err_unbind;
        }

        Console.WriteLine($"{pdev.Address}: events in {events}");
        Iommufd.CtxPut(events!);
        Iommufd.DeviceUnbind(idev!);
        Iommufd.CtxPut(ictx!);
        return Errno.None;

    err_unbind:
        Iommufd.DeviceUnbind(idev!);
    err_put:
        Iommufd.CtxPut(ictx!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new EventedFunction().Enable(lab.Process, lab.Fd, 977, lab.Device());
}
