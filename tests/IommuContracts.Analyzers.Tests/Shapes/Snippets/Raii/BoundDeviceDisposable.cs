// Shape: an IDisposable RAII wrapper that takes the idev in its constructor and unbinds in Dispose; callers use `using var`
// From: Rust VMMs' Drop impls (alioth Cdev, rust-vmm VfioDevice) transposed to IDisposable
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class BoundDevice : IDisposable
{
    private IommufdDevice? _idev;

    private BoundDevice(IommufdDevice idev, DeviceId id)
    {
        _idev = idev;
        Id = id;
    }

    public DeviceId Id { get; }

    public static Errno Bind(IommufdCtx ictx, PciDevice pdev, out BoundDevice? bound)
    {
        bound = null;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        bound = new BoundDevice(idev!, id);
        return Errno.None;
    }

    public void Dispose()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

public static class Passthrough
{
    public static Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = BoundDevice.Bind(ictx, pdev, out var bound);
        if (rc != Errno.None)
        {
            return rc;
        }

        using var device = bound!;
        Console.WriteLine($"assigned {pdev.Address} as {device.Id}");
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => Passthrough.Probe(lab.Ctx, lab.Device());
}
