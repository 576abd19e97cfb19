// Shape: a switch statement on the state query decides between replace and attach
// From: drivers/vfio/iommufd.c vfio_iommufd_physical_attach_ioas (replace when attached, attach otherwise)
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class SwitchingDriver
{
    public Errno MoveTo(IommufdDevice idev, IoasId ioas, out HwptId hwpt)
    {
        switch (idev.IsAttached)
        {
            case true:
                return Iommufd.DeviceReplace(idev, ioas, out hwpt);
            case false:
                return Iommufd.DeviceAttach(idev, ioas, out hwpt);
        }
    }

    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId first, IoasId second)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = MoveTo(idev!, first, out var hwpt);
        if (rc == Errno.None)
        {
            rc = MoveTo(idev!, second, out hwpt);
        }

        Console.WriteLine(hwpt);
        if (idev!.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }

        Iommufd.DeviceUnbind(idev);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var second);
        return rc != Errno.None ? rc : new SwitchingDriver().Cycle(lab.Ctx, lab.Device(), lab.Ioas, second);
    }
}
