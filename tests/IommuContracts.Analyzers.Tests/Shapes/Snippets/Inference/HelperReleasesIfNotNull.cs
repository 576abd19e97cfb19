// Shape: (spec) a null-tolerant release helper called with the bound handle on every exit
// From: issue 9 §3 inference cases: a helper whose release depends on a null test of its argument
// Label: OK
// Runtime: clean EBADF

[DriverManagedDma]
public sealed class NullTolerant
{
    public Errno Probe(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.CtxFromFd(process, eventFd, out var events);
        if (rc != Errno.None)
        {
            Put(idev);
            return rc;
        }

        Iommufd.CtxPut(events!);
        Put(idev);
        return Errno.None;
    }

    private static void Put(IommufdDevice? idev)
    {
        if (idev is not null)
        {
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new NullTolerant();
        var rc = driver.Probe(lab.Process, lab.Ctx, lab.Fd, lab.Device());
        return rc != Errno.None ? Errno.EINVAL : driver.Probe(lab.Process, lab.Ctx, 977, lab.Device());
    }
}
