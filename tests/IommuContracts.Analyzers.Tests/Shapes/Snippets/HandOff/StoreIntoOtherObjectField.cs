// Shape: the bind op of a core library stores the idev into the caller's device structure (vdev->iommufd_device = idev)
// From: drivers/vfio/iommufd.c vfio_iommufd_physical_bind
// Label: OK
// Runtime: clean

public sealed class VfioDevice
{
    public IommufdDevice? IommufdDevice;

    public required PciDevice Pdev { get; init; }
}

[DriverManagedDma]
public static class PhysicalOps
{
    public static Errno BindIommufd(VfioDevice vdev, IommufdCtx ictx, out DeviceId outDeviceId)
    {
        var rc = Iommufd.DeviceBind(ictx, vdev.Pdev, out var idev, out outDeviceId);
        if (rc != Errno.None)
        {
            return rc;
        }

        vdev.IommufdDevice = idev;
        return Errno.None;
    }

    public static void UnbindIommufd(VfioDevice vdev)
    {
        if (vdev.IommufdDevice is { } idev)
        {
            Iommufd.DeviceUnbind(idev);
            vdev.IommufdDevice = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var vdev = new VfioDevice { Pdev = lab.Device() };
        var rc = PhysicalOps.BindIommufd(vdev, lab.Ctx, out _);
        PhysicalOps.UnbindIommufd(vdev);
        return rc;
    }
}
