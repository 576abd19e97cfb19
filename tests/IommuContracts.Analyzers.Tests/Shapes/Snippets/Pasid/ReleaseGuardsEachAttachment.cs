// Shape: a release path shared by every probe failure asks the device what is attached (RID and PASID) before detaching
// From: vfio_iommufd_physical_unbind: detach the RID and the PASIDs still attached, then unbind
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class SvaDevice
{
    private const uint DefaultPasid = 1;

    public static Errno Enable(IommufdDevice idev, HwptId hwpt, bool withPasid)
    {
        var rc = Iommufd.DeviceAttach(idev, hwpt, out var rid);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"RID on {rid}");
        if (!withPasid)
        {
            return Errno.None;
        }

        rc = Iommufd.DeviceAttach(idev, DefaultPasid, hwpt, out var used);
        Console.WriteLine($"pasid {DefaultPasid} on {used}");
        return rc;
    }

    public static void Release(IommufdDevice idev)
    {
        if (idev.IsPasidAttached(DefaultPasid))
        {
            Iommufd.DeviceDetach(idev, DefaultPasid);
        }

        if (idev.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }

        Iommufd.DeviceUnbind(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        foreach (var withPasid in new[] { true, false })
        {
            var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
            if (rc != Errno.None) return rc;
            rc = SvaDevice.Enable(idev!, lab.PasidHwpt(id), withPasid);
            SvaDevice.Release(idev!);
            if (rc != Errno.None) return rc;
        }

        return Errno.None;
    }
}
