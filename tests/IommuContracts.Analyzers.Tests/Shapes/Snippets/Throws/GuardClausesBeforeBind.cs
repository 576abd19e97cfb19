// Shape: argument guard clauses (ThrowIfNull, ThrowIfNegative) before anything is bound
// From: .NET API guidelines applied to a probe entry point
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class StorageController
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev, int queueDepth)
    {
        ArgumentNullException.ThrowIfNull(ictx);
        ArgumentNullException.ThrowIfNull(pdev);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queueDepth);

        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address}: depth {queueDepth}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new StorageController().Probe(lab.Ctx, lab.Device(), 32);
}
