// Shape: [DriverManagedDma] declared once on the core driver base class; variant drivers derive from it and bind
// From: drivers/vfio/pci/vfio_pci_core.c shared by the variant drivers (mlx5, hisi_acc, pds, virtio)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public abstract class PciCoreDriver
{
    protected abstract string Name { get; }

    public Errno Open(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{Name}: {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

public sealed class VirtioVariant : PciCoreDriver
{
    protected override string Name => "virtio-vfio-pci";

    public Errno OpenLegacy(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc == Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new VirtioVariant();
        var rc = driver.Open(lab.Ctx, lab.Device());
        return rc != Errno.None ? rc : driver.OpenLegacy(lab.Ctx, lab.Device());
    }
}
