// Shape: the binding made lazily on first use (if (_idev is null) bind), torn down in Shutdown
// From: lazy initialisation in managed device pools
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class LazyFunction
{
    private readonly IommufdCtx _ictx;
    private readonly PciDevice _pdev;
    private IommufdDevice? _idev;

    public LazyFunction(IommufdCtx ictx, PciDevice pdev)
    {
        _ictx = ictx;
        _pdev = pdev;
    }

    public Errno EnsureBound(out DeviceId id)
    {
        id = DeviceId.None;
        if (_idev is null)
        {
            var rc = Iommufd.DeviceBind(_ictx, _pdev, out var idev, out id);
            if (rc != Errno.None)
            {
                return rc;
            }

            _idev = idev;
            return Errno.None;
        }

        id = Iommufd.DeviceToId(_idev);
        return Errno.None;
    }

    public void Shutdown()
    {
        if (_idev is not null)
        {
            Iommufd.DeviceUnbind(_idev);
            _idev = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var function = new LazyFunction(lab.Ctx, lab.Device());
        var rc = function.EnsureBound(out var first);
        if (rc != Errno.None) return rc;
        rc = function.EnsureBound(out var second);
        function.Shutdown();
        return rc != Errno.None ? rc : first.Equals(second) ? Errno.None : Errno.EINVAL;
    }
}
