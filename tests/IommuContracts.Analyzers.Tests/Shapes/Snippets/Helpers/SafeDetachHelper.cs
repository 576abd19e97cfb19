// Shape: a SafeDetach helper (detach only when attached) called from the remove path before the unbind
// From: drivers/vfio/iommufd.c (vfio_iommufd_physical_unbind: if (vdev->iommufd_attached) iommufd_device_detach())
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class PhysicalVfioDevice
{
    private IommufdDevice? _idev;

    public HwptId Hwpt { get; private set; }

    public Errno Open(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Hwpt = hwpt;
        _idev = idev;
        return Errno.None;
    }

    public void Close()
    {
        if (_idev is null)
        {
            return;
        }

        SafeDetach(_idev);
        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }

    private static void SafeDetach(IommufdDevice idev)
    {
        if (idev.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var vdev = new PhysicalVfioDevice();
        var rc = vdev.Open(lab.Ctx, lab.Device(), lab.Ioas);
        Console.WriteLine(vdev.Hwpt);
        vdev.Close();
        return rc;
    }
}
