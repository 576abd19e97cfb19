// Shape: one attach path for the RID and PASIDs, called with IOMMU_NO_PASID for the RID; the RID is detached by the RID call
// From: drivers passing IOMMU_NO_PASID through a common attach helper (iommufd_device_attach(idev, IOMMU_NO_PASID, ...))
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class Function
{
    private const uint IommuNoPasid = 0;

    public static Errno Probe(IommufdCtx ictx, PciDevice pdev, Func<DeviceId, HwptId> hwptFor)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, IommuNoPasid, hwptFor(id), out var used);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Console.WriteLine($"RID on {used}, attached: {idev!.IsAttached}");
        Iommufd.DeviceDetach(idev!);
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => Function.Probe(lab.Ctx, lab.PasidDevice(), lab.PasidHwpt);
}
