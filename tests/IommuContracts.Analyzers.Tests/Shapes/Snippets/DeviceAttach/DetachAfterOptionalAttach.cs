// Shape: attach only in DMA mode; the common exit detaches unconditionally
// From: K9: a release path that also runs when nothing was attached
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class ModalDevice
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev, IoasId ioas, bool dmaMode)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        if (dmaMode)
        {
            rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
            if (rc != Errno.None)
            {
                Iommufd.DeviceUnbind(idev!);
                return rc;
            }

            Console.WriteLine($"DMA mode on {hwpt}");
        }

        Iommufd.DeviceDetach(idev!); //~ IOMMU0057
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new ModalDevice().Run(lab.Ctx, lab.Device(), lab.Ioas, dmaMode: false);
}
