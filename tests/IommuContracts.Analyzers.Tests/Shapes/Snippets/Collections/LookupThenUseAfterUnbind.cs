// Shape: an idev read back from the device table into a local, unbound, then logged through the same local
// From: unplug handlers that log after releasing
// Label: BUG
// Runtime: violation IOMMU0002
using System.Collections.Generic;

[DriverManagedDma]
public sealed class DeviceTable
{
    private readonly Dictionary<string, IommufdDevice> _table = new();

    public Errno Plug(IommufdCtx ictx, string name, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc == Errno.None)
        {
            _table[name] = idev!;
        }

        return rc;
    }

    public void Unplug(string name)
    {
        var idev = _table[name];
        _table.Remove(name);
        Iommufd.DeviceUnbind(idev);
        Console.WriteLine($"{name}: device {Iommufd.DeviceToId(idev)} unplugged"); //~ IOMMU0002
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var table = new DeviceTable();
        var rc = table.Plug(lab.Ctx, "nic0", lab.Device());
        table.Unplug("nic0");
        return rc;
    }
}
