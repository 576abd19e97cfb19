// Shape: a switch on the attach result: success records the PASID, EBUSY (already ours) moves it with replace
// From: VMM PASID-table emulation (guest writes a PASID entry twice) mapping errno cases to actions
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class GuestPasidTable
{
    private readonly HashSet<uint> _live = new();

    public Errno Write(IommufdDevice idev, uint pasid, HwptId hwpt)
    {
        switch (Iommufd.DeviceAttach(idev, pasid, hwpt, out var used))
        {
            case Errno.None:
                _live.Add(pasid);
                Console.WriteLine($"pasid {pasid} on {used}");
                return Errno.None;
            case Errno.EBUSY:
                var moved = Iommufd.DeviceReplace(idev, pasid, hwpt, out var now);
                Console.WriteLine($"pasid {pasid} moved to {now}");
                return moved;
            case var rc:
                return rc;
        }
    }

    public void Invalidate(IommufdDevice idev, uint pasid)
    {
        if (_live.Remove(pasid))
        {
            Iommufd.DeviceDetach(idev, pasid);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        var table = new GuestPasidTable();
        rc = table.Write(idev!, 3, lab.PasidHwpt(id));
        if (rc == Errno.None) rc = table.Write(idev!, 3, lab.PasidHwpt(id));
        table.Invalidate(idev!, 3);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}
