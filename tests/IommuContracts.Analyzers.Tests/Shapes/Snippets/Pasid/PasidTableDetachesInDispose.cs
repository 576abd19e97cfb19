// Shape: a wrapper owns the idev and the PASIDs it attached (a list field); Remove detaches one, Dispose the rest
// From: a VMM's per-device PASID table (QEMU vfio-user / crosvm style) torn down with the device
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class PasidTable : IDisposable
{
    private readonly IommufdDevice _idev;
    private readonly List<uint> _attached = new();

    public PasidTable(IommufdDevice idev) => _idev = idev;

    public Errno Add(uint pasid, HwptId hwpt)
    {
        if (_attached.Contains(pasid))
        {
            var moved = Iommufd.DeviceReplace(_idev, pasid, hwpt, out var now);
            Console.WriteLine($"pasid {pasid} moved to {now}");
            return moved;
        }

        var rc = Iommufd.DeviceAttach(_idev, pasid, hwpt, out var used);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"pasid {pasid} on {used}");
        _attached.Add(pasid);
        return Errno.None;
    }

    public void Remove(uint pasid)
    {
        if (_attached.Remove(pasid))
        {
            Iommufd.DeviceDetach(_idev, pasid);
        }
    }

    public void Dispose()
    {
        foreach (var pasid in _attached)
        {
            Iommufd.DeviceDetach(_idev, pasid);
        }

        _attached.Clear();
        Iommufd.DeviceUnbind(_idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        var hwpt = lab.PasidHwpt(id);
        using var table = new PasidTable(idev!);
        rc = table.Add(5, hwpt);
        if (rc == Errno.None) rc = table.Add(6, hwpt);
        if (rc == Errno.None) rc = table.Add(5, lab.PasidHwpt(id));
        table.Remove(6);
        table.Remove(7);
        return rc;
    }
}
