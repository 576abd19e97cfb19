// Shape: a configuration error after the attach is thrown only after detaching and unbinding
// From: exception-based probes that unwind before throwing
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class StrictProbe
{
    private IommufdDevice? _idev;

    public HwptId Probe(IommufdCtx ictx, PciDevice pdev, IoasId ioas, int msiVectors)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            throw new InvalidOperationException($"bind: {rc}");
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            throw new InvalidOperationException($"attach: {rc}");
        }

        if (msiVectors > 2048)
        {
            Iommufd.DeviceDetach(idev!);
            Iommufd.DeviceUnbind(idev!);
            throw new ArgumentOutOfRangeException(nameof(msiVectors));
        }

        _idev = idev;
        return hwpt;
    }

    public void Remove()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceDetach(idev);
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var probe = new StrictProbe();
        try
        {
            probe.Probe(lab.Ctx, lab.Device(), lab.Ioas, 4096);
            return Errno.EINVAL;
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        Console.WriteLine(probe.Probe(lab.Ctx, lab.Device(), lab.Ioas, 16));
        probe.Remove();
        return Errno.None;
    }
}
