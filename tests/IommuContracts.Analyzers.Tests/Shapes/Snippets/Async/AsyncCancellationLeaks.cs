// Shape: an async assign that checks the cancellation token after bind and returns EINTR without unbinding
// From: cancellable hot-plug in a managed VMM
// Label: BUG
// Runtime: leak
using System.Threading;
using System.Threading.Tasks;

[DriverManagedDma]
public sealed class HotplugWorker
{
    private IommufdDevice? _idev;

    public async Task<Errno> AssignAsync(IommufdCtx ictx, PciDevice pdev, CancellationToken cancellation)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        await Task.Yield();
        if (cancellation.IsCancellationRequested)
        {
            return Errno.EINTR;
        }

        _idev = idev;
        return Errno.None;
    }

    public void Unassign()
    {
        if (_idev is { } idev)
        {
            _idev = null;
            Iommufd.DeviceUnbind(idev);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var worker = new HotplugWorker();
        worker.AssignAsync(lab.Ctx, lab.Device(), new System.Threading.CancellationToken(canceled: true)).GetAwaiter().GetResult();
        worker.Unassign();
        return Errno.None;
    }
}
