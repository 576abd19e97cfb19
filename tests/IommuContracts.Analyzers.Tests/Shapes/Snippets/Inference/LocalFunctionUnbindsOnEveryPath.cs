// Shape: (spec) a local function that releases, called on the failure path and at the end
// From: issue 9 §3 inference cases: local functions analysed like helpers
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class LocalRelease
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev, int queues)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        if (queues <= 0)
        {
            Release();
            return Errno.EINVAL;
        }

        Console.WriteLine($"{queues} queues on {Iommufd.DeviceToId(idev!)}");
        Release();
        return Errno.None;

        void Release()
        {
            Console.WriteLine("releasing");
            Iommufd.DeviceUnbind(idev!);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new LocalRelease();
        var rc = driver.Probe(lab.Ctx, lab.Device(), 4);
        return rc != Errno.None ? rc : driver.Probe(lab.Ctx, lab.Device(), 0) == Errno.EINVAL ? Errno.None : Errno.EINVAL;
    }
}
