// Shape: a property pattern with the wrong constant (IsAttached: false) guarding the detach
// From: a typo-class bug in a pattern-matching guard
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class InvertedGuard
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        Console.WriteLine($"attach: {rc} {hwpt}");
        if (idev is { IsAttached: false })
        {
            Iommufd.DeviceDetach(idev); //~ IOMMU0007
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    // The IOAS is stale: the attach fails, the device is not attached, and the inverted guard detaches it.
    public static Errno Run(TwinLab lab) => new InvertedGuard().Cycle(lab.Ctx, lab.Device(), new IoasId(4242));
}
