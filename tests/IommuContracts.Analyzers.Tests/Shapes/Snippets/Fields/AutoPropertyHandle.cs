// Shape: the idev kept in an auto-property with a private setter; Release reads it into a local and clears it
// From: C# drivers exposing the binding read-only
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class ThunderboltDma
{
    public IommufdDevice? Binding { get; private set; }

    public Errno Claim(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc == Errno.None)
        {
            Binding = idev;
        }

        return rc;
    }

    public void Release()
    {
        var idev = Binding;
        Binding = null;
        if (idev is not null)
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
        var tbt = new ThunderboltDma();
        var rc = tbt.Claim(lab.Ctx, lab.Device());
        tbt.Release();
        return rc;
    }
}
