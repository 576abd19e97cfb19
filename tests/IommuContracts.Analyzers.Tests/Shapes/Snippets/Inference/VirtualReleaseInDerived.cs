// Shape: (spec) a base driver calls a virtual release that a derived driver overrides to unbind
// From: issue 9 §3 inference cases: virtual calls (the callee is not known, the handle becomes unknown)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public abstract class VfioPciCoreBase
{
    public Errno OpenClose(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"opened {Iommufd.DeviceToId(idev!)}");
        CloseDevice(idev!);
        return Errno.None;
    }

    protected abstract void CloseDevice(IommufdDevice idev);
}

public sealed class MlxVariantDriver : VfioPciCoreBase
{
    protected override void CloseDevice(IommufdDevice idev)
    {
        Console.WriteLine("mlx5 variant: saving migration state");
        Iommufd.DeviceUnbind(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new MlxVariantDriver().OpenClose(lab.Ctx, lab.Device());
}
