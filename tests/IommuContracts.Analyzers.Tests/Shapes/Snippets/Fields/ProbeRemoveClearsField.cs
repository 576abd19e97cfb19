// Shape: the plain driver lifecycle: probe binds into a field, remove unbinds it and clears the field
// From: drivers/vfio/iommufd.c (physical bind / unbind), drivers/vfio/pci/* open_device / close_device
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class IgbVf
{
    private IommufdDevice? _idev;
    private DeviceId _devId;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        _idev = idev;
        return Errno.None;
    }

    public DeviceId DeviceId => _idev is null ? DeviceId.None : _devId;

    public void Remove()
    {
        if (_idev is null)
        {
            return;
        }

        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var vf = new IgbVf();
        var rc = vf.Probe(lab.Ctx, lab.Device());
        Console.WriteLine(vf.DeviceId);
        vf.Remove();
        return rc;
    }
}
