// Shape: probe attaches two PASIDs by constant; shutdown calls a helper that detaches whatever the device reports attached
// From: a driver's remove() looping over the device's attached PASIDs (iommufd_device's pasid xarray) before unbind
// Label: OK
// Runtime: clean
using System.Linq;

[DriverManagedDma]
public sealed class Accelerator
{
    public static Errno SelfTest(IommufdCtx ictx, PciDevice pdev, Func<DeviceId, HwptId> hwptFor)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        var hwpt = hwptFor(id);
        rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var first);
        if (rc == Errno.None)
        {
            Console.WriteLine($"kernel queue on {first}");
            rc = Iommufd.DeviceAttach(idev!, 2, hwpt, out var second);
            Console.WriteLine($"user queue on {second}");
        }

        Shutdown(idev!);
        return rc;
    }

    private static void Shutdown(IommufdDevice idev)
    {
        DetachAll(idev);
        Iommufd.DeviceUnbind(idev);
    }

    private static void DetachAll(IommufdDevice idev)
    {
        foreach (var pasid in idev.AttachedPasids.ToArray())
        {
            Iommufd.DeviceDetach(idev, pasid);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => Accelerator.SelfTest(lab.Ctx, lab.PasidDevice(), lab.PasidHwpt);
}
