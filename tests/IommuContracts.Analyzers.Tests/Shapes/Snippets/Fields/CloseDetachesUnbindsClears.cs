// Shape: Close() detaches, unbinds and clears the field; other members test the field (and the state query) before using it
// From: drivers/vfio/iommufd.c physical detach/unbind, with a reattach path between open and close
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class ReattachableFunction
{
    private IommufdDevice? _idev;

    public Errno Open(IommufdCtx ictx, PciDevice pdev, IoasId ioas, out HwptId hwpt)
    {
        hwpt = HwptId.None;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        _idev = idev;
        return Iommufd.DeviceAttach(idev!, ioas, out hwpt);
    }

    public Errno Reattach(IoasId ioas, out HwptId hwpt)
    {
        hwpt = HwptId.None;
        if (_idev is null)
        {
            return Errno.ENODEV;
        }

        if (_idev.IsAttached)
        {
            return Iommufd.DeviceReplace(_idev, ioas, out hwpt);
        }

        return Iommufd.DeviceAttach(_idev, ioas, out hwpt);
    }

    public void Close()
    {
        if (_idev is null)
        {
            return;
        }

        if (_idev.IsAttached)
        {
            Iommufd.DeviceDetach(_idev);
        }

        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var function = new ReattachableFunction();
        var rc = function.Open(lab.Ctx, lab.Device(), lab.Ioas, out var first);
        if (rc == Errno.None) rc = function.Reattach(lab.Ioas, out var second);
        function.Close();
        if (function.Reattach(lab.Ioas, out _) != Errno.ENODEV) return Errno.EINVAL;
        Console.WriteLine(first);
        return rc;
    }
}
