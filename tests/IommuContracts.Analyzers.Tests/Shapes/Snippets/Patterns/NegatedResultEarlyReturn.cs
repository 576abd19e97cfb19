// Shape: the bind result tested with a negated pattern and an early return (if (rc is not Errno.None) return rc;)
// From: C# style of `if (IS_ERR(idev)) return PTR_ERR(idev);`
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class IdxdWorkQueue
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc is not Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"idxd {pdev.Address}: wq device {id}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new IdxdWorkQueue().Probe(lab.Ctx, lab.Device());
}
