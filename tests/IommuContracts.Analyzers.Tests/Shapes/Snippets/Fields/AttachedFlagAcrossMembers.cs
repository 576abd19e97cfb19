// Shape: the kernel's own bookkeeping: a bool field "attached" set by attach_ioas, tested by detach_ioas and unbind
// From: drivers/vfio/iommufd.c (vdev->iommufd_attached in physical attach / detach / unbind)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class VfioPhysical
{
    private IommufdDevice? _iommufdDevice;
    private bool _iommufdAttached;

    public Errno Bind(IommufdCtx ictx, PciDevice pdev, out DeviceId devId)
        => Iommufd.DeviceBind(ictx, pdev, out _iommufdDevice, out devId);

    public Errno AttachIoas(IoasId ptId, out HwptId hwpt)
    {
        hwpt = HwptId.None;
        if (_iommufdDevice is null)
        {
            return Errno.EINVAL;
        }

        var rc = _iommufdAttached
            ? Iommufd.DeviceReplace(_iommufdDevice, ptId, out hwpt)
            : Iommufd.DeviceAttach(_iommufdDevice, ptId, out hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        _iommufdAttached = true;
        return Errno.None;
    }

    public void DetachIoas()
    {
        if (_iommufdDevice is null || !_iommufdAttached)
        {
            return;
        }

        Iommufd.DeviceDetach(_iommufdDevice);
        _iommufdAttached = false;
    }

    public void Unbind()
    {
        if (_iommufdDevice is null)
        {
            return;
        }

        if (_iommufdAttached)
        {
            Iommufd.DeviceDetach(_iommufdDevice);
            _iommufdAttached = false;
        }

        Iommufd.DeviceUnbind(_iommufdDevice);
        _iommufdDevice = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var vdev = new VfioPhysical();
        var rc = vdev.Bind(lab.Ctx, lab.Device(), out _);
        if (rc != Errno.None) return rc;
        rc = vdev.AttachIoas(lab.Ioas, out var hwpt);
        if (rc == Errno.None) rc = vdev.AttachIoas(lab.Ioas, out hwpt);
        vdev.DetachIoas();
        if (rc == Errno.None) rc = vdev.AttachIoas(lab.Ioas, out hwpt);
        Console.WriteLine(hwpt);
        vdev.Unbind();
        return rc;
    }
}
