// Shape: a probe-time check attaches each PASID of a list, then gives the device back without detaching them
// From: K5 for PASIDs in a loop: unbind while PASIDs attached by earlier iterations are still in place
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public static class PasidProbe
{
    public static Errno Verify(IommufdCtx ictx, PciDevice pdev, uint[] pasids, Func<DeviceId, HwptId> hwptFor)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        var hwpt = hwptFor(id);
        foreach (var pasid in pasids)
        {
            rc = Iommufd.DeviceAttach(idev!, pasid, hwpt, out var used);
            if (rc != Errno.None)
            {
                break;
            }

            Console.WriteLine($"pasid {pasid} reachable through {used}");
        }

        Iommufd.DeviceUnbind(idev!); //~ IOMMU0004|IOMMU0054
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => PasidProbe.Verify(lab.Ctx, lab.PasidDevice(), [1, 2], lab.PasidHwpt);
}
