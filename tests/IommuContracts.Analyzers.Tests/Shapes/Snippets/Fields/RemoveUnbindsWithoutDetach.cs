// Shape: probe binds and attaches the field; remove unbinds it without detaching
// From: K5 in a driver's remove callback
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public sealed class LegacyNic
{
    private IommufdDevice? _idev;
    private HwptId _hwpt;

    public Errno Probe(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(_idev!, ioas, out _hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(_idev!);
            _idev = null;
        }

        return rc;
    }

    public void Remove()
    {
        if (_idev is null)
        {
            return;
        }

        Console.WriteLine($"removing from {_hwpt}");
        Iommufd.DeviceUnbind(_idev); //~ IOMMU0054|IOMMU0004
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var nic = new LegacyNic();
        var rc = nic.Probe(lab.Ctx, lab.Device(), lab.Ioas);
        nic.Remove();
        return rc;
    }
}
