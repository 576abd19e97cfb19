// Shape: a release helper that takes the field by ref, unbinds it and clears it (the kernel's "put and NULL" idiom)
// From: drivers/vfio/iommufd.c (iommufd_device_unbind(); vdev->iommufd_device = NULL)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class MdevParent
{
    private IommufdDevice? _idev;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address}: parent bound");
        return Errno.None;
    }

    public void Remove() => ReleaseDevice(ref _idev);

    private static void ReleaseDevice(ref IommufdDevice? idev)
    {
        if (idev is null)
        {
            return;
        }

        Iommufd.DeviceUnbind(idev);
        idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var parent = new MdevParent();
        var rc = parent.Probe(lab.Ctx, lab.Device());
        parent.Remove();
        parent.Remove();
        return rc;
    }
}
