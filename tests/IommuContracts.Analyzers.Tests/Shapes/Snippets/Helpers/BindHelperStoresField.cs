// Shape: a private BindDevice that stores the idev in the driver's field; open/close call it
// From: drivers/vfio/iommufd.c (vdev->iommufd_device = idev in the physical bind op)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class VfioPciCore
{
    private readonly PciDevice _pdev;
    private IommufdDevice? _iommufdDevice;
    private DeviceId _devId;

    public VfioPciCore(PciDevice pdev) => _pdev = pdev;

    public Errno OpenDevice(IommufdCtx ictx)
    {
        var rc = BindDevice(ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"vfio-pci {_pdev.Address}: bound as {_devId}");
        return Errno.None;
    }

    public void CloseDevice()
    {
        if (_iommufdDevice is null)
        {
            return;
        }

        Iommufd.DeviceUnbind(_iommufdDevice);
        _iommufdDevice = null;
    }

    private Errno BindDevice(IommufdCtx ictx)
    {
        var rc = Iommufd.DeviceBind(ictx, _pdev, out var idev, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        _iommufdDevice = idev;
        _devId = devId;
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var core = new VfioPciCore(lab.Device());
        var rc = core.OpenDevice(lab.Ctx);
        core.CloseDevice();
        return rc;
    }
}
