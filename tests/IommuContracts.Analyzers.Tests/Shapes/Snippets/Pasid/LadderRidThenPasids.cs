// Shape: attach the RID and two PASIDs with an early-return ladder that unwinds what is attached, then detach in reverse
// From: the iommufd selftest's pasid_attach fixture order (RID first, PASIDs on a PASID-compatible HWPT)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public static class DmaSelfCheck
{
    private const uint KernelPasid = 1;
    private const uint UserPasid = 2;

    public static Errno Check(IommufdDevice idev, HwptId hwpt)
    {
        var rc = Iommufd.DeviceAttach(idev, hwpt, out var rid);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev, KernelPasid, hwpt, out var kernel);
        if (rc != Errno.None)
        {
            Iommufd.DeviceDetach(idev);
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev, UserPasid, hwpt, out var user);
        if (rc != Errno.None)
        {
            Iommufd.DeviceDetach(idev, KernelPasid);
            Iommufd.DeviceDetach(idev);
            return rc;
        }

        Console.WriteLine($"RID {rid}, kernel {kernel}, user {user}");
        Iommufd.DeviceDetach(idev, UserPasid);
        Iommufd.DeviceDetach(idev, KernelPasid);
        Iommufd.DeviceDetach(idev);
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
        rc = DmaSelfCheck.Check(idev!, lab.PasidHwpt(id));
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}
