// Shape: a local release function called on the error branch and again at the common exit
// From: local-function cleanup mixed with explicit cleanup
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class DoubleRelease
{
    public Errno Probe(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc != Errno.None)
        {
            Release();
        }
        else
        {
            Iommufd.CtxPut(events!);
        }

        Release(); //~ IOMMU0052
        return rc;

        void Release() => Iommufd.DeviceUnbind(idev!);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DoubleRelease().Probe(lab.Process, lab.Ctx, 977, lab.Device());
}
