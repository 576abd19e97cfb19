// Shape: a driver object reused across unbind/rebind (probe, remove, probe, remove), guarding probe against a live binding
// From: driver rebinding through sysfs (the same vfio_device opened twice)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class ReusableFunction
{
    private readonly PciDevice _pdev;
    private IommufdDevice? _idev;

    public ReusableFunction(PciDevice pdev) => _pdev = pdev;

    public Errno Probe(IommufdCtx ictx)
    {
        if (_idev is not null)
        {
            return Errno.EBUSY;
        }

        return Iommufd.DeviceBind(ictx, _pdev, out _idev, out _);
    }

    public void Remove()
    {
        if (_idev is { } idev)
        {
            Iommufd.DeviceUnbind(idev);
            _idev = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var function = new ReusableFunction(lab.Device());
        for (var i = 0; i < 2; i++)
        {
            var rc = function.Probe(lab.Ctx);
            if (rc != Errno.None) return rc;
            if (function.Probe(lab.Ctx) != Errno.EBUSY) return Errno.EINVAL;
            function.Remove();
        }

        return Errno.None;
    }
}
