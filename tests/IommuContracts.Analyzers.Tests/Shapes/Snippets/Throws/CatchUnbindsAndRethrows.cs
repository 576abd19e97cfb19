// Shape: work that may throw after bind, wrapped in try/catch that unbinds and rethrows
// From: exception-safe probe paths in managed code
// Label: OK
// Runtime: clean
using System.IO;

[DriverManagedDma]
public sealed class FirmwareLoader
{
    private IommufdDevice? _idev;

    public Errno Load(IommufdCtx ictx, PciDevice pdev, byte[] image)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            Validate(image);
        }
        catch
        {
            Iommufd.DeviceUnbind(idev!);
            throw;
        }

        _idev = idev;
        return Errno.None;
    }

    public void Unload()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }

    private static void Validate(byte[] image)
    {
        if (image.Length < 4 || image[0] != 0x7F)
        {
            throw new InvalidDataException("not a firmware image");
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var loader = new FirmwareLoader();
        try
        {
            loader.Load(lab.Ctx, lab.Device(), new byte[] { 1, 2 });
            return Errno.EINVAL;
        }
        catch (System.IO.InvalidDataException)
        {
        }

        var rc = loader.Load(lab.Ctx, lab.Device(), new byte[] { 0x7F, 0, 0, 0 });
        loader.Unload();
        return rc;
    }
}
