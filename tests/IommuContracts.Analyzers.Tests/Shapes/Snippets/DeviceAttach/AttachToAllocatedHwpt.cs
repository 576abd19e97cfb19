// Shape: the device attached to a HWPT the caller allocated itself (not an IOAS), the returned HWPT compared with it
// From: QEMU iommufd_cdev_autodomains_get (alloc a HWPT, attach the device to it)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class ExplicitDomain
{
    public Errno Use(IommufdCtx ictx, SimulatedIoctlFile iommufd, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = iommufd.HwptAlloc(IommuHwptAllocFlags.None, devId, ioas, IommuHwptDataType.None, 0, 0, default, out var allocated);
        if (rc == Errno.None)
        {
            rc = Iommufd.DeviceAttach(idev!, allocated, out var used);
            if (rc == Errno.None)
            {
                Console.WriteLine(used.Equals(allocated) ? "on the allocated HWPT" : "moved elsewhere?");
                Iommufd.DeviceDetach(idev!);
            }

            var destroyed = iommufd.Destroy(allocated);
            rc = rc != Errno.None ? rc : destroyed;
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new ExplicitDomain().Use(lab.Ctx, lab.IommufdFile, lab.Device(), lab.Ioas);
}
