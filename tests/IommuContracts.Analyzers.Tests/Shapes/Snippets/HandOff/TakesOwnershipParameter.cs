// Shape: the driver's own adopt method declares [TakesOwnership]; the probe hands the idev over and keeps nothing
// From: the annotation the rule pages offer for ownership transfer across a boundary
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class DevicePool
{
    private readonly Stack<IommufdDevice> _pool = new();

    public void Adopt([TakesOwnership] IommufdDevice idev) => _pool.Push(idev);

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Adopt(idev!);
        return Errno.None;
    }

    public void Drain()
    {
        while (_pool.TryPop(out var idev))
        {
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var pool = new DevicePool();
        var rc = pool.Probe(lab.Ctx, lab.Device());
        pool.Drain();
        return rc;
    }
}
