// Shape: a local function unbinds; the enclosing method calls it and then still asks the idev for its ID
// From: cleanup factored into a local function, called too early
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class EarlyCleanup
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Release();
        Console.WriteLine($"released {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0002
        return Errno.None;

        void Release() => Iommufd.DeviceUnbind(idev!);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new EarlyCleanup().Probe(lab.Ctx, lab.Device());
}
