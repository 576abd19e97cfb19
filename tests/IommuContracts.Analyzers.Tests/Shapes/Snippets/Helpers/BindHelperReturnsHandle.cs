// Shape: a private bind helper that returns the idev through out, and an unbind helper the remove path calls
// From: drivers/vfio/iommufd.c (vfio_iommufd_physical_bind / _unbind)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class PhysicalFunction
{
    private readonly IommufdCtx _ictx;

    public PhysicalFunction(IommufdCtx ictx) => _ictx = ictx;

    public Errno Open(PciDevice pdev)
    {
        var rc = BindPhysical(pdev, out var idev, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address} is device {devId}");
        UnbindPhysical(idev!);
        return Errno.None;
    }

    private Errno BindPhysical(PciDevice pdev, out IommufdDevice? idev, out DeviceId devId)
        => Iommufd.DeviceBind(_ictx, pdev, out idev, out devId);

    private static void UnbindPhysical(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new PhysicalFunction(lab.Ctx).Open(lab.Device());
}
