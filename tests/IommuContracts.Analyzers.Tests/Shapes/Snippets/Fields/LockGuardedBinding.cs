// Shape: bind and unbind under the driver's own lock (open/close race with each other), the field tested inside the lock
// From: drivers/vfio (dev_set->lock held around bind/unbind)
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

[DriverManagedDma]
public sealed class LockedDeviceSet
{
    private readonly object _lock = new();
    private IommufdDevice? _idev;

    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        lock (_lock)
        {
            if (_idev is not null)
            {
                return Errno.EBUSY;
            }

            return Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            if (_idev is null)
            {
                return;
            }

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
        var set = new LockedDeviceSet();
        var pdev = lab.Device();
        var results = new Errno[4];
        Parallel.For(0, 4, i => results[i] = set.Open(lab.Ctx, pdev));
        set.Close();
        return results.Count(r => r == Errno.None) == 1 && results.Count(r => r == Errno.EBUSY) == 3 ? Errno.None : Errno.EINVAL;
    }
}
