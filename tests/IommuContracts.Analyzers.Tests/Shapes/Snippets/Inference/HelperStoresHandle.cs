// Shape: (spec) a helper that stores the handle it is given; the caller binds and calls it, so nothing leaks in the caller
// From: issue 9 §3 inference cases: "one that stores the handle"
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class LiveSet
{
    private readonly List<IommufdDevice> _live = new();

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Track(idev!);
        return Errno.None;
    }

    public void RemoveAll()
    {
        foreach (var idev in _live)
        {
            Iommufd.DeviceUnbind(idev);
        }

        _live.Clear();
    }

    private void Track(IommufdDevice idev) => _live.Add(idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var set = new LiveSet();
        var rc = set.Probe(lab.Ctx, lab.Device());
        set.RemoveAll();
        return rc;
    }
}
