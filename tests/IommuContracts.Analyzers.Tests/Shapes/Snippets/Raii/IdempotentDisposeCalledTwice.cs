// Shape: Dispose that may run twice (using plus an explicit Close), guarded by clearing the field first
// From: .NET dispose pattern around a vfio_device's iommufd binding
// Label: OK
// Runtime: clean
using System.Threading;

[DriverManagedDma]
public sealed class VfioDeviceFileState : IDisposable
{
    private IommufdDevice? _idev;

    public Errno Bind(IommufdCtx ictx, PciDevice pdev)
    {
        if (_idev is not null)
        {
            return Errno.EBUSY;
        }

        return Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
    }

    public void Close() => Dispose();

    public void Dispose()
    {
        var idev = Interlocked.Exchange(ref _idev, null);
        if (idev is not null)
        {
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using var state = new VfioDeviceFileState();
        var rc = state.Bind(lab.Ctx, lab.Device());
        state.Close();
        return rc;
    }
}
