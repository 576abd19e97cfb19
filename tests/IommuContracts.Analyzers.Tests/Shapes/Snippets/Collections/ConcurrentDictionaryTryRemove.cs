// Shape: a ConcurrentDictionary of bindings shared by hot-plug threads; TryRemove hands the idev to the unbinding thread
// From: multi-threaded VMM device managers
// Label: OK
// Runtime: clean
using System.Collections.Concurrent;

[DriverManagedDma]
public sealed class ConcurrentAssignments
{
    private readonly ConcurrentDictionary<DeviceId, IommufdDevice> _byId = new();

    public Errno Assign(IommufdCtx ictx, PciDevice pdev, out DeviceId id)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out id);
        if (rc != Errno.None)
        {
            return rc;
        }

        if (!_byId.TryAdd(id, idev!))
        {
            Iommufd.DeviceUnbind(idev!);
            return Errno.EEXIST;
        }

        return Errno.None;
    }

    public bool Release(DeviceId id)
    {
        if (!_byId.TryRemove(id, out var idev))
        {
            return false;
        }

        Iommufd.DeviceUnbind(idev);
        return true;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var assignments = new ConcurrentAssignments();
        var rc = assignments.Assign(lab.Ctx, lab.Device(), out var id);
        if (rc != Errno.None) return rc;
        return assignments.Release(id) && !assignments.Release(id) ? Errno.None : Errno.EINVAL;
    }
}
