// Shape: two handle fields with nested lifecycles: the context reference taken at open, the idev bound later, released in reverse
// From: drivers/vfio/vfio_main.c (df->iommufd from the fd, then bind; close unbinds, then puts)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class VfioDeviceFileContext
{
    private IommufdCtx? _ictx;
    private IommufdDevice? _idev;

    public Errno BindIommufd(SimulatedProcess process, int iommufd, PciDevice pdev)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out _ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceBind(_ictx!, pdev, out _idev, out _);
        if (rc != Errno.None)
        {
            Iommufd.CtxPut(_ictx!);
            _ictx = null;
        }

        return rc;
    }

    public void Release()
    {
        if (_idev is not null)
        {
            Iommufd.DeviceUnbind(_idev);
            _idev = null;
        }

        if (_ictx is not null)
        {
            Iommufd.CtxPut(_ictx);
            _ictx = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var file = new VfioDeviceFileContext();
        var rc = file.BindIommufd(lab.Process, lab.Fd, lab.Device());
        file.Release();
        var failed = new VfioDeviceFileContext();
        var refused = failed.BindIommufd(lab.Process, lab.Fd, lab.Device(driver: DeviceDriverKind.DmaApi));
        failed.Release();
        return rc != Errno.None ? rc : refused == Errno.EPERM ? Errno.None : Errno.EINVAL;
    }
}
