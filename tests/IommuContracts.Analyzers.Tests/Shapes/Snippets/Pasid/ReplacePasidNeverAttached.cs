// Shape: the RID is attached, then a PASID is "switched" with replace although only the RID was ever attached
// From: K8 for PASIDs: iommufd_device_replace answers EINVAL for a PASID the device has not attached
// Label: BUG
// Runtime: errno EINVAL

[DriverManagedDma]
public static class DomainSwitch
{
    private const uint ShadowPasid = 2;

    public static Errno Run(IommufdCtx ictx, PciDevice pdev, Func<DeviceId, HwptId> hwptFor)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        var hwpt = hwptFor(id);
        rc = Iommufd.DeviceAttach(idev!, hwpt, out var rid);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Console.WriteLine($"RID on {rid}");
        rc = Iommufd.DeviceReplace(idev!, ShadowPasid, hwptFor(id), out var shadow); //~ IOMMU0006
        Console.WriteLine($"shadow pasid on {shadow}");
        Iommufd.DeviceDetach(idev!);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DomainSwitch.Run(lab.Ctx, lab.PasidDevice(), lab.PasidHwpt);
}
