// Shape: a while loop retries the attach on the next IOAS after a failure (a failed attach leaves the device bound, not attached)
// From: fallback chains (preferred IOAS, then a default one)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class FallbackAttach
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev, Queue<IoasId> preferences)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Errno.ENOENT;
        var hwpt = HwptId.None;
        while (rc != Errno.None && preferences.TryDequeue(out var ioas))
        {
            rc = Iommufd.DeviceAttach(idev!, ioas, out hwpt);
        }

        if (rc == Errno.None)
        {
            Console.WriteLine($"on {hwpt}");
            Iommufd.DeviceDetach(idev!);
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new FallbackAttach().Run(lab.Ctx, lab.Device(), new Queue<IoasId>(new[] { new IoasId(4242), lab.Ioas }));
}
