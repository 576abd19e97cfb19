// Shape: bind, attach, then a verification step; the goto ladder unwinds detach before unbind
// From: QEMU iommufd_cdev_attach (err_discard_disable: detach container; err_alloc_ioas: unbind and disconnect)
// Label: OK
// Runtime: clean EBADF

[DriverManagedDma]
public sealed class VerifiedAttach
{
    private IommufdDevice? _idev;

    public Errno Attach(SimulatedProcess process, IommufdCtx ictx, int notifyFd, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            goto err_bind;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            goto err_attach;
        }

        rc = Iommufd.CtxFromFd(process, notifyFd, out var notify);
        if (rc != Errno.None)
        {
            goto err_notify;
        }

        Iommufd.CtxPut(notify!);
        Console.WriteLine($"attached on {hwpt}");
        _idev = idev;
        return Errno.None;

    err_notify:
        Iommufd.DeviceDetach(idev!);
    err_attach:
        Iommufd.DeviceUnbind(idev!);
    err_bind:
        return rc;
    }

    public void Detach()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceDetach(idev);
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var device = new VerifiedAttach();
        var rc = device.Attach(lab.Process, lab.Ctx, lab.Fd, lab.Device(), lab.Ioas);
        device.Detach();
        return rc != Errno.None ? Errno.EINVAL : device.Attach(lab.Process, lab.Ctx, 977, lab.Device(), lab.Ioas);
    }
}
