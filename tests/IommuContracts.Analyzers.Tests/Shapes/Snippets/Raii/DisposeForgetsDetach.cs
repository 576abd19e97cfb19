// Shape: a disposable device wrapper whose Attach records the HWPT but whose Dispose only unbinds
// From: a Drop/Dispose that predates the attach support of its type
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public sealed class DeviceHandle : IDisposable
{
    private IommufdDevice? _idev;

    public HwptId Hwpt { get; private set; }

    public Errno Bind(IommufdCtx ictx, PciDevice pdev) => Iommufd.DeviceBind(ictx, pdev, out _idev, out _);

    public Errno Attach(IoasId ioas)
    {
        var rc = Iommufd.DeviceAttach(_idev!, ioas, out var hwpt);
        Hwpt = hwpt;
        return rc;
    }

    public void Dispose()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev); //~ IOMMU0054|IOMMU0004
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using var handle = new DeviceHandle();
        var rc = handle.Bind(lab.Ctx, lab.Device());
        return rc != Errno.None ? rc : handle.Attach(lab.Ioas);
    }
}
