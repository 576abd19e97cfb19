// Shape: try/finally releases the idev on every exit, including the early returns inside the try
// From: the C# form of a single out_unbind label
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class FinallyDriver
{
    public Errno Inspect(SimulatedProcess process, IommufdCtx ictx, int eventFd, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            rc = Iommufd.CtxFromFd(process, eventFd, out var events);
            if (rc != Errno.None)
            {
                return rc;
            }

            Console.WriteLine($"{Iommufd.DeviceToId(idev!)} with events");
            Iommufd.CtxPut(events!);
            return Errno.None;
        }
        finally
        {
            Iommufd.DeviceUnbind(idev!);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new FinallyDriver();
        var rc = driver.Inspect(lab.Process, lab.Ctx, lab.Fd, lab.Device());
        if (rc != Errno.None) return rc;
        return driver.Inspect(lab.Process, lab.Ctx, 977, lab.Device()) == Errno.EBADF ? Errno.None : Errno.EINVAL;
    }
}
