// Shape: the failure of the step after attach jumps straight to the unbind label, skipping the detach
// From: K5 in a C-style ladder: err_unbind used where err_detach was meant
// Label: BUG
// Runtime: violation IOMMU0004

[DriverManagedDma]
public sealed class SkippedDetach
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
            goto err_unbind;
        }

        rc = Iommufd.CtxFromFd(process, notifyFd, out var notify);
        if (rc != Errno.None)
        {
            goto err_unbind;
        }

        Iommufd.CtxPut(notify!);
        Console.WriteLine($"attached on {hwpt}");
        Iommufd.DeviceDetach(idev!);

    err_unbind:
        Iommufd.DeviceUnbind(idev!); //~ IOMMU0054
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new SkippedDetach().Attach(lab.Process, lab.Ctx, 977, lab.Device(), lab.Ioas);
}
