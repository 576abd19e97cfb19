// Shape: moving a device to the guest IOAS with a second attach instead of a replace
// From: K7 (EBUSY since v6.15; list corruption before)
// Label: BUG
// Runtime: errno EBUSY

[DriverManagedDma]
public sealed class MigratingDevice
{
    public Errno Move(IommufdCtx ictx, PciDevice pdev, IoasId staging, IoasId guest)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, staging, out var hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        Console.WriteLine($"staging on {hwpt}");
        rc = Iommufd.DeviceAttach(idev!, guest, out hwpt); //~ IOMMU0005
        Console.WriteLine($"guest on {hwpt}");
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
        return rc != Errno.None ? rc : new MigratingDevice().Move(lab.Ctx, lab.Device(), lab.Ioas, guest);
    }
}
