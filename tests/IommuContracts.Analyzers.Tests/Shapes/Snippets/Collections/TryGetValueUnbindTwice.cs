// Shape: an idev looked up with TryGetValue, unbound in the unplug path and unbound again by a copy-pasted cleanup line
// From: duplicated cleanup after a merge
// Label: BUG
// Runtime: violation IOMMU0002
using System.Collections.Generic;

[DriverManagedDma]
public sealed class SlotTable
{
    private readonly Dictionary<int, IommufdDevice> _slots = new();

    public Errno Plug(IommufdCtx ictx, int slot, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc == Errno.None)
        {
            _slots.Add(slot, idev!);
        }

        return rc;
    }

    public void Unplug(int slot)
    {
        if (_slots.TryGetValue(slot, out var idev))
        {
            Iommufd.DeviceUnbind(idev);
            _slots.Remove(slot);
            Iommufd.DeviceUnbind(idev); //~ IOMMU0002
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var slots = new SlotTable();
        var rc = slots.Plug(lab.Ctx, 3, lab.Device());
        slots.Unplug(3);
        return rc;
    }
}
