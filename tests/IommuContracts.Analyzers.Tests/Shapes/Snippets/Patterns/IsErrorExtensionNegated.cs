// Shape: the IsSuccess()/IsError() extensions with a negation (if (!rc.IsSuccess()) return rc;)
// From: helper-extension style of Errno checks
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class VirtioVfioNet
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (!rc.IsSuccess())
        {
            return rc;
        }

        Console.WriteLine($"virtio-net {pdev.Address}: {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new VirtioVfioNet().Open(lab.Ctx, lab.Device());
}
