// Shape: Dispose() calls the type's own Detach() and then unbinds; Detach clears the attached HWPT it records
// From: alioth src/vfio/cdev.rs (Drop calls detach_iommu_ioas), transposed to the kAPI
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class AttachedFunction : IDisposable
{
    private IommufdDevice? _idev;
    private HwptId? _hwpt;

    public Errno Open(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);

    public Errno Attach(IoasId ioas)
    {
        if (_idev is null || _hwpt is not null)
        {
            return Errno.EINVAL;
        }

        var rc = Iommufd.DeviceAttach(_idev, ioas, out var hwpt);
        if (rc == Errno.None)
        {
            _hwpt = hwpt;
        }

        return rc;
    }

    public void Detach()
    {
        if (_idev is null || _hwpt is null)
        {
            return;
        }

        Iommufd.DeviceDetach(_idev);
        _hwpt = null;
    }

    public void Dispose()
    {
        Detach();
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using var function = new AttachedFunction();
        var rc = function.Open(lab.Ctx, lab.Device());
        if (rc != Errno.None) return rc;
        return function.Attach(lab.Ioas);
    }
}
