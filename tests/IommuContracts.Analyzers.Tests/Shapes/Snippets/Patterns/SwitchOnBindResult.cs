// Shape: a switch statement on the Errno of bind, with a case per expected failure and the work in case None
// From: QEMU's errno-specific handling (EINVAL means "try the next one")
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class MlxVfioFunction
{
    public Errno Attach(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        switch (rc)
        {
            case Errno.None:
                Console.WriteLine($"mlx5 {pdev.Address}: bound as {id}");
                Iommufd.DeviceUnbind(idev!);
                return Errno.None;
            case Errno.EPERM:
                Console.WriteLine($"mlx5 {pdev.Address}: no MSI isolation or wrong driver");
                return rc;
            default:
                return rc;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new MlxVfioFunction().Attach(lab.Ctx, lab.Device());
}
