// Shape: a dictionary of bound functions keyed by PCI address; unplug removes one, shutdown unbinds the rest
// From: VMMs keeping assigned devices by BDF (QEMU vfio_device_list, cloud-hypervisor device tree)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class AssignedDevices
{
    private readonly Dictionary<PciAddress, IommufdDevice> _bound = new();

    public Errno Plug(IommufdCtx ictx, PciDevice pdev)
    {
        if (_bound.ContainsKey(pdev.Address))
        {
            return Errno.EEXIST;
        }

        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        _bound[pdev.Address] = idev!;
        return Errno.None;
    }

    public Errno Unplug(PciAddress address)
    {
        if (!_bound.Remove(address, out var idev))
        {
            return Errno.ENODEV;
        }

        Iommufd.DeviceUnbind(idev);
        return Errno.None;
    }

    public void Shutdown()
    {
        foreach (var idev in _bound.Values)
        {
            Iommufd.DeviceUnbind(idev);
        }

        _bound.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var devices = new AssignedDevices();
        var first = lab.Device();
        var rc = devices.Plug(lab.Ctx, first);
        if (rc == Errno.None) rc = devices.Plug(lab.Ctx, lab.Device());
        if (rc == Errno.None) rc = devices.Unplug(first.Address);
        devices.Shutdown();
        return rc;
    }
}
