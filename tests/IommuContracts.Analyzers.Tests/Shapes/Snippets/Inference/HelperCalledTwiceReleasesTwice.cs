// Shape: (spec) a release helper called on an error branch and again at the end of the method
// From: issue 9 §3 inference cases: a releasing helper's effect at each call site
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class TwiceReleased
{
    public Errno Probe(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc == Errno.None)
        {
            Iommufd.CtxPut(events!);
        }
        else
        {
            ReleaseDevice(idev!);
        }

        ReleaseDevice(idev!); //~ IOMMU0052
        return rc;
    }

    private static void ReleaseDevice(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new TwiceReleased().Probe(lab.Process, lab.Ctx, 977, lab.Device());
}
