// Shape: the idev handed to the constructor of the object that owns it from then on
// From: vfio_device owning its iommufd_device; Rust VMMs moving the fd into VfioDevice::new
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class PassthroughPort
{
    private IommufdDevice? _idev;

    public PassthroughPort(IommufdDevice idev) => _idev = idev;

    public void Close()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

[DriverManagedDma]
public static class PortFactory
{
    public static Errno Open(IommufdCtx ictx, PciDevice pdev, out PassthroughPort? port)
    {
        port = null;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        port = new PassthroughPort(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = PortFactory.Open(lab.Ctx, lab.Device(), out var port);
        port?.Close();
        return rc;
    }
}
