// Shape: a switch on the attach result whose success case falls into the common unbind without detaching
// From: switch-based cleanup in managed drivers
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public sealed class SwitchCleanup
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        switch (rc)
        {
            case Errno.None:
                Console.WriteLine($"probe ok on {hwpt}, releasing for now");
                break;
            case Errno.EINVAL:
                Console.WriteLine("incompatible domain");
                break;
        }

        Iommufd.DeviceUnbind(idev!); //~ IOMMU0054
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new SwitchCleanup().Probe(lab.Ctx, lab.Device(), lab.Ioas);
}
