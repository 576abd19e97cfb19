// Shape: an attachment scope: a struct created by attach whose Dispose detaches, used in a using block inside the binding's lifetime
// From: RAII guards (Rust VMM Drop of an attachment) as a C# using
// Label: OK
// Runtime: clean

public readonly struct Attachment : IDisposable
{
    private readonly IommufdDevice _idev;

    private Attachment(IommufdDevice idev, HwptId hwpt)
    {
        _idev = idev;
        Hwpt = hwpt;
    }

    public HwptId Hwpt { get; }

    public static Errno Attach(IommufdDevice idev, IoasId ioas, out Attachment attachment)
    {
        attachment = default;
        var rc = Iommufd.DeviceAttach(idev, ioas, out var hwpt);
        if (rc == Errno.None)
        {
            attachment = new Attachment(idev, hwpt);
        }

        return rc;
    }

    public void Dispose() => Iommufd.DeviceDetach(_idev);
}

[DriverManagedDma]
public static class ScopedDma
{
    public static Errno Run(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Attachment.Attach(idev!, ioas, out var attachment);
        if (rc == Errno.None)
        {
            using (attachment)
            {
                Console.WriteLine($"DMA through {attachment.Hwpt}");
            }
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => ScopedDma.Run(lab.Ctx, lab.Device(), lab.Ioas);
}
