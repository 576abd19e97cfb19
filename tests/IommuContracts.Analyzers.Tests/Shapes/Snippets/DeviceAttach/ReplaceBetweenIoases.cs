// Shape: attach to the staging IOAS, replace to the guest IOAS, detach, unbind, keeping each returned HWPT
// From: drivers/iommu/iommufd/selftest.c (MOCK_DOMAIN_REPLACE) and vfio physical attach with replace
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class ReplacingDevice
{
    public Errno Move(IommufdCtx ictx, PciDevice pdev, IoasId staging, IoasId guest, out HwptId final)
    {
        final = HwptId.None;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, staging, out var first);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        rc = Iommufd.DeviceReplace(idev!, guest, out final);
        Console.WriteLine($"{first} -> {final}: {rc}");
        Iommufd.DeviceDetach(idev!);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var guest);
        return rc != Errno.None ? rc : new ReplacingDevice().Move(lab.Ctx, lab.Device(), lab.Ioas, guest, out _);
    }
}
