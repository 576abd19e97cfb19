// Shape: a switch expression maps the bind Errno to a status, and the handle is used only when it said Ready
// From: status enums in managed device managers
// Label: OK
// Runtime: clean

public enum BindStatus
{
    Ready,
    NotAllowed,
    Failed,
}

[DriverManagedDma]
public sealed class DeviceManager
{
    public Errno Assign(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        var status = rc switch
        {
            Errno.None => BindStatus.Ready,
            Errno.EPERM => BindStatus.NotAllowed,
            _ => BindStatus.Failed,
        };
        Console.WriteLine($"{pdev.Address}: {status}");
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(Iommufd.DeviceToId(idev!));
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DeviceManager().Assign(lab.Ctx, lab.Device());
}
