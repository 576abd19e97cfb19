// Shape: the constructor binds (throwing on failure) and Dispose unbinds: the object is the binding
// From: RAII objects in Rust VMMs (VfioDevice::new ... Drop) as a C# class
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class AssignedFunction : IDisposable
{
    private IommufdDevice? _idev;

    public AssignedFunction(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out _idev, out var id);
        if (rc != Errno.None)
        {
            throw new InvalidOperationException($"{pdev.Address}: bind failed with {rc}");
        }

        Id = id;
    }

    public DeviceId Id { get; }

    public void Dispose()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using (var function = new AssignedFunction(lab.Ctx, lab.Device()))
        {
            Console.WriteLine(function.Id);
        }

        try
        {
            using var refused = new AssignedFunction(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
            return Errno.EINVAL;
        }
        catch (InvalidOperationException)
        {
            return Errno.None;
        }
    }
}
