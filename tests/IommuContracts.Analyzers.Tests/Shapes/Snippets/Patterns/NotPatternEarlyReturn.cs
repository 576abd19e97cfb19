// Shape: a negated property pattern with an early return guards the detach (if (idev is not { IsAttached: true }) return;)
// From: guard-clause style detach helpers
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class GuardedDetach
{
    public Errno Cycle(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        Console.WriteLine($"attach: {rc} {hwpt}");
        Stop(idev!);
        Iommufd.DeviceUnbind(idev!);
        return rc;
    }

    private static void Stop(IommufdDevice idev)
    {
        if (idev is not { IsAttached: true })
        {
            return;
        }

        Iommufd.DeviceDetach(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new GuardedDetach().Cycle(lab.Ctx, lab.Device(), lab.Ioas);
}
