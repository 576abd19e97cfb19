// Shape: an async passthrough session: bind, attach, await the guest's run, then detach and unbind
// From: async VMM device lifecycles
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

[DriverManagedDma]
public sealed class AsyncSession
{
    public async Task<Errno> RunAsync(IommufdCtx ictx, PciDevice pdev, IoasId ioas, Func<HwptId, Task> guest)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc == Errno.None)
        {
            await guest(hwpt).ConfigureAwait(false);
            Iommufd.DeviceDetach(idev!);
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
        => new AsyncSession().RunAsync(lab.Ctx, lab.Device(), lab.Ioas, _ => Task.Delay(1)).GetAwaiter().GetResult();
}
