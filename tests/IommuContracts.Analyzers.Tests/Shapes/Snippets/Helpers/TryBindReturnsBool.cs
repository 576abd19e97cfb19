// Shape: a Try-pattern wrapper (bool TryBind(..., out idev)) and a caller that returns early when it is false
// From: .NET Try-pattern conventions around an iommufd_device_bind caller
// Label: OK
// Runtime: clean EPERM

[DriverManagedDma]
public sealed class CryptoAccelerator
{
    private readonly IommufdCtx _ictx;

    public CryptoAccelerator(IommufdCtx ictx) => _ictx = ictx;

    public Errno LastError { get; private set; }

    public Errno SelfTest(PciDevice pdev)
    {
        if (!TryBind(pdev, out var idev))
        {
            return LastError;
        }

        Console.WriteLine($"qat {pdev.Address}: self-test as {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    private bool TryBind(PciDevice pdev, out IommufdDevice? idev)
    {
        LastError = Iommufd.DeviceBind(_ictx, pdev, out idev, out _);
        return LastError == Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var qat = new CryptoAccelerator(lab.Ctx);
        var rc = qat.SelfTest(lab.Device());
        if (rc != Errno.None)
        {
            return rc;
        }

        // The second function is still driven by its DMA-API driver: the bind fails and nothing is left.
        return qat.SelfTest(lab.Device(driver: DeviceDriverKind.DmaApi));
    }
}
