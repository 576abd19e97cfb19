// Shape: a goto ladder whose attach failure jumps to the label that detaches
// From: K9 in a C-style ladder: err_detach placed above err_unbind and used for the attach failure
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public sealed class WrongLabel
{
    public Errno Attach(SimulatedProcess process, IommufdCtx ictx, int notifyFd, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            goto err_detach;
        }

        rc = Iommufd.CtxFromFd(process, notifyFd, out var notify);
        if (rc != Errno.None)
        {
            goto err_detach;
        }

        Iommufd.CtxPut(notify!);
        Console.WriteLine($"attached on {hwpt}");

    err_detach:
        Iommufd.DeviceDetach(idev!); //~ IOMMU0057
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new WrongLabel().Attach(lab.Process, lab.Ctx, lab.Fd, lab.Device(), new IoasId(4242));
}
