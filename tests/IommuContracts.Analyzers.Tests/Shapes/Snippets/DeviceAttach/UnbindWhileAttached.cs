// Shape: a probe-time sanity check binds, attaches to learn the HWPT, and unbinds without detaching
// From: K5: unbind with the attachment still in place
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public sealed class DomainProbe
{
    public Errno WhichDomain(IommufdCtx ictx, PciDevice pdev, IoasId ioas, out HwptId hwpt)
    {
        hwpt = HwptId.None;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Iommufd.DeviceUnbind(idev!); //~ IOMMU0004
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = new DomainProbe().WhichDomain(lab.Ctx, lab.Device(), lab.Ioas, out var hwpt);
        Console.WriteLine(hwpt);
        return rc;
    }
}
