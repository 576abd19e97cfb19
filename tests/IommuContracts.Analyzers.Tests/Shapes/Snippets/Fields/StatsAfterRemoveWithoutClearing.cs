// Shape: remove unbinds the field but leaves it set; a statistics member later asks the dead idev for its ID
// From: sysfs/debugfs attributes racing with remove
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class IntelQat
{
    private IommufdDevice? _idev;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);

    public string Stats()
    {
        if (_idev is null)
        {
            return "unbound";
        }

        return $"device {Iommufd.DeviceToId(_idev)}"; //~ IOMMU0052
    }

    public void Remove()
    {
        if (_idev is not null)
        {
            Iommufd.DeviceUnbind(_idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var qat = new IntelQat();
        var rc = qat.Probe(lab.Ctx, lab.Device());
        Console.WriteLine(qat.Stats());
        qat.Remove();
        Console.WriteLine(qat.Stats());
        return rc;
    }
}
