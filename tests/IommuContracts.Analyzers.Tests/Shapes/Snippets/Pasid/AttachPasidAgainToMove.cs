// Shape: moving a PASID to a new HWPT by attaching it again instead of replacing it
// From: K7 for PASIDs: iommufd_device_attach answers EBUSY for a PASID the device has attached
// Label: BUG
// Runtime: errno EBUSY

[DriverManagedDma]
public static class Migration
{
    public static Errno MoveToDirtyTracking(IommufdDevice idev, uint pasid, HwptId plain, HwptId tracking)
    {
        var rc = Iommufd.DeviceAttach(idev, pasid, plain, out var before);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"pasid {pasid} on {before}");
        rc = Iommufd.DeviceAttach(idev, pasid, tracking, out var after); //~ IOMMU0005
        Console.WriteLine($"pasid {pasid} now on {after}");
        Iommufd.DeviceDetach(idev, pasid);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        rc = Migration.MoveToDirtyTracking(idev!, 8, lab.PasidHwpt(id), lab.PasidHwpt(id));
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}
