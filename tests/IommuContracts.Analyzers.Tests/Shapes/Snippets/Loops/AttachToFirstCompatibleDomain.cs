// Shape: try the existing domains one by one (EINVAL means incompatible: try the next), stop at the first that works, fall back to the IOAS
// From: QEMU hw/vfio/iommufd.c iommufd_cdev_autodomains_get (QLIST_FOREACH over hwpt_list)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class DomainSharing
{
    public Errno Attach(IommufdDevice idev, IReadOnlyList<HwptId> existing, IoasId ioas, out HwptId used)
    {
        used = HwptId.None;
        foreach (var hwpt in existing)
        {
            var rc = Iommufd.DeviceAttach(idev, hwpt, out used);
            if (rc == Errno.EINVAL)
            {
                continue;
            }

            return rc;
        }

        return Iommufd.DeviceAttach(idev, ioas, out used);
    }

    public Errno Run(IommufdCtx ictx, PciDevice pdev, IReadOnlyList<HwptId> existing, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Attach(idev!, existing, ioas, out var used);
        if (rc == Errno.None)
        {
            Console.WriteLine($"sharing {used}");
            Iommufd.DeviceDetach(idev!);
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new DomainSharing().Run(lab.Ctx, lab.Device(), new HwptId[0], lab.Ioas);
}
