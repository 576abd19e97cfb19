// Shape: the idev wrapped in a positional record returned to the caller, which releases it
// From: immutable result records in managed control planes
// Label: OK
// Runtime: clean

public sealed record BoundFunction(IommufdDevice Idev, DeviceId Id, PciAddress Address);

[DriverManagedDma]
public static class RecordBinder
{
    public static Errno Bind(IommufdCtx ictx, PciDevice pdev, out BoundFunction? bound)
    {
        bound = null;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc == Errno.None)
        {
            bound = new BoundFunction(idev!, id, pdev.Address);
        }

        return rc;
    }

    public static void Release(BoundFunction bound) => Iommufd.DeviceUnbind(bound.Idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = RecordBinder.Bind(lab.Ctx, lab.Device(), out var bound);
        if (bound is not null) RecordBinder.Release(bound);
        return rc;
    }
}
