// Shape: a bounded retry loop around bind (do { ... } while (rc == EBUSY && ++attempt < 3)), then the check and the use after the loop
// From: retry-on-EBUSY loops around device claiming in VMMs and drivers
// Label: OK
// Runtime: clean
using System.Threading;

[DriverManagedDma]
public sealed class RetryingBinder
{
    public Errno Claim(IommufdCtx ictx, PciDevice pdev)
    {
        var attempt = 0;
        Errno rc;
        IommufdDevice? idev;
        do
        {
            rc = Iommufd.DeviceBind(ictx, pdev, out idev, out _);
            if (rc == Errno.EBUSY)
            {
                Thread.Sleep(1);
            }
        }
        while (rc == Errno.EBUSY && ++attempt < 3);

        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"claimed after {attempt + 1} attempt(s): {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new RetryingBinder().Claim(lab.Ctx, lab.Device());
}
