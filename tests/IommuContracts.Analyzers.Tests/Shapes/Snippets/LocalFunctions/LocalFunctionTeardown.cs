// Shape: a local function tears down (detach when attached, unbind) and every exit after the bind calls it
// From: C# replacement for the err_detach / err_unbind labels
// Label: OK
// Runtime: clean EBADF

[DriverManagedDma]
public sealed class LocalTeardown
{
    public Errno Probe(SimulatedProcess process, IommufdCtx ictx, int notifyFd, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            return Teardown(rc);
        }

        rc = Iommufd.CtxFromFd(process, notifyFd, out var notify);
        if (rc != Errno.None)
        {
            return Teardown(rc);
        }

        Console.WriteLine($"on {hwpt}");
        Iommufd.CtxPut(notify!);
        return Teardown(Errno.None);

        Errno Teardown(Errno result)
        {
            if (idev!.IsAttached)
            {
                Iommufd.DeviceDetach(idev);
            }

            Iommufd.DeviceUnbind(idev);
            return result;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new LocalTeardown();
        var rc = driver.Probe(lab.Process, lab.Ctx, lab.Fd, lab.Device(), lab.Ioas);
        return rc != Errno.None ? Errno.EINVAL : driver.Probe(lab.Process, lab.Ctx, 977, lab.Device(), lab.Ioas);
    }
}
