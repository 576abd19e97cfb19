// Shape: teardown in two passes over the device dictionary: detach the attached ones, then unbind all
// From: QEMU vfio_detach_device over every device of a container, then the unbinds
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class Container
{
    private readonly Dictionary<DeviceId, IommufdDevice> _devices = new();
    private readonly Dictionary<DeviceId, HwptId> _domains = new();

    public Errno Add(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        _devices.Add(id, idev!);
        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc == Errno.None)
        {
            _domains[id] = hwpt;
        }

        return rc;
    }

    public void Destroy()
    {
        foreach (var idev in _devices.Values)
        {
            if (idev.IsAttached)
            {
                Iommufd.DeviceDetach(idev);
            }
        }

        foreach (var idev in _devices.Values)
        {
            Iommufd.DeviceUnbind(idev);
        }

        _devices.Clear();
        _domains.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var container = new Container();
        var rc = container.Add(lab.Ctx, lab.Device(), lab.Ioas);
        if (rc == Errno.None) rc = container.Add(lab.Ctx, lab.Device(), lab.Ioas);
        var failed = container.Add(lab.Ctx, lab.Device(), new IoasId(4242));
        container.Destroy();
        return rc != Errno.None ? rc : failed == Errno.ENOENT ? Errno.None : Errno.EINVAL;
    }
}
