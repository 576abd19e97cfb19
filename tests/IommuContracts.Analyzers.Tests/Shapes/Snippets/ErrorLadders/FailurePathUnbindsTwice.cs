// Shape: the failure branch unbinds and then falls through to the common exit label that unbinds again
// From: a ladder where an early cleanup was added without changing the goto target
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class QueuePair
{
    public Errno Setup(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            goto out_unbind;
        }

        Iommufd.CtxPut(events!);
    out_unbind:
        Iommufd.DeviceUnbind(idev!); //~ IOMMU0052
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new QueuePair().Setup(lab.Process, lab.Ctx, 977, lab.Device());
}
