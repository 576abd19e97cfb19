// Shape: a firmware-load path attaches PASID 1 for the upload and unbinds when done, forgetting the PASID
// From: K5 for PASIDs: iommufd_device_unbind WARNs while a PASID is still attached
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public static class FirmwareLoader
{
    private const uint UploadPasid = 1;

    public static Errno Upload(IommufdDevice idev, HwptId hwpt)
    {
        var rc = Iommufd.DeviceAttach(idev, UploadPasid, hwpt, out var used);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev);
            return rc;
        }

        Console.WriteLine($"firmware DMA through {used}");
        Iommufd.DeviceUnbind(idev); //~ IOMMU0004
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        return FirmwareLoader.Upload(idev!, lab.PasidHwpt(id));
    }
}
