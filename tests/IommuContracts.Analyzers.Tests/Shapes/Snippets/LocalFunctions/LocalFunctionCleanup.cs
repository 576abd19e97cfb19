// Shape: a local function holds the cleanup and every exit calls it
// From: C# replacement for a goto cleanup label
// Label: OK
// Runtime: clean EBADF

[DriverManagedDma]
public sealed class LocalCleanupDriver
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
            return Fail(rc);
        }

        Iommufd.CtxPut(events!);
        return Fail(Errno.None);

        Errno Fail(Errno result)
        {
            Iommufd.DeviceUnbind(idev!);
            return result;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new LocalCleanupDriver();
        var rc = driver.Probe(lab.Process, lab.Ctx, lab.Fd, lab.Device());
        return rc != Errno.None ? Errno.EINVAL : driver.Probe(lab.Process, lab.Ctx, 977, lab.Device());
    }
}
