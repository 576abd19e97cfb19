// Shape: an async probe: bind, await a firmware handshake, unbind on failure or hand the idev to the field
// From: async device managers (hot-plug handlers awaiting device readiness)
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

[DriverManagedDma]
public sealed class AsyncNic
{
    private IommufdDevice? _idev;

    public async Task<Errno> ProbeAsync(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        var ready = await WaitForFirmwareAsync(pdev).ConfigureAwait(false);
        if (!ready)
        {
            Iommufd.DeviceUnbind(idev!);
            return Errno.ETIMEDOUT;
        }

        _idev = idev;
        return Errno.None;
    }

    public async Task RemoveAsync()
    {
        await Task.Yield();
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }

    private static async Task<bool> WaitForFirmwareAsync(PciDevice pdev)
    {
        await Task.Delay(1).ConfigureAwait(false);
        return pdev.Faults.Count == 0;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var nic = new AsyncNic();
        var rc = nic.ProbeAsync(lab.Ctx, lab.Device()).GetAwaiter().GetResult();
        nic.RemoveAsync().GetAwaiter().GetResult();
        return rc;
    }
}
