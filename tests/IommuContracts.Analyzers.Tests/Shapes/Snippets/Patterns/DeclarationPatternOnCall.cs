// Shape: the call and its test in one condition (if (Bind(...) is var rc && rc != Errno.None) return rc;)
// From: compact error handling in C# drivers
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class HisiAccVf
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        if (Iommufd.DeviceBind(ictx, pdev, out var idev, out _) is var rc && rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"hisi_acc {pdev.Address}: {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new HisiAccVf().Open(lab.Ctx, lab.Device());
}
