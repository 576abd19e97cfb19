// Shape: a set-domain handler replaces a PASID that is attached and attaches one that is not, asking the idev which it is
// From: vfio_iommufd_physical_pasid_attach_ioas: replace when the pasid already has a HWPT, attach otherwise
// Label: OK
// Runtime: clean

[DriverManagedDma]
public static class PasidHandler
{
    public static Errno SetDomain(IommufdDevice idev, uint pasid, HwptId hwpt)
    {
        Errno rc;
        HwptId used;
        if (idev.IsPasidAttached(pasid))
        {
            rc = Iommufd.DeviceReplace(idev, pasid, hwpt, out used);
        }
        else
        {
            rc = Iommufd.DeviceAttach(idev, pasid, hwpt, out used);
        }

        Console.WriteLine($"pasid {pasid} -> {used}: {rc}");
        return rc;
    }

    public static void ClearDomain(IommufdDevice idev, uint pasid)
    {
        if (!idev.IsPasidAttached(pasid))
        {
            return;
        }

        Iommufd.DeviceDetach(idev, pasid);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        rc = PasidHandler.SetDomain(idev!, 9, lab.PasidHwpt(id));
        if (rc == Errno.None) rc = PasidHandler.SetDomain(idev!, 9, lab.PasidHwpt(id));
        PasidHandler.ClearDomain(idev!, 9);
        PasidHandler.ClearDomain(idev!, 10);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}
