// Shape: the bind result tested through a small helper (if (Failed(rc)) return rc;), as drivers wrap IS_ERR
// From: in-kernel callers testing IS_ERR(idev) / PTR_ERR through macros
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class NvmeVfioFunction
{
    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (Failed(rc, "bind"))
        {
            return rc;
        }

        Console.WriteLine($"nvme {pdev.Address}: device {Iommufd.DeviceToId(idev!)} ({id})");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private static bool Failed(Errno rc, string step)
    {
        if (rc == Errno.None)
        {
            return false;
        }

        Console.WriteLine($"nvme: {step} failed: {rc}");
        return true;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new NvmeVfioFunction().Open(lab.Ctx, lab.Device());
}
