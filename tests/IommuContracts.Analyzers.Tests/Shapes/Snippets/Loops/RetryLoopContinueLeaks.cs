// Shape: a retry loop binds, checks the function's link, and on a bad link `continue`s to the next attempt without unbinding
// From: bring-up loops that retry "until the device is healthy"
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class LinkTrainer
{
    private IommufdDevice? _idev;

    public Errno BringUp(IommufdCtx ictx, PciDevice pdev, Func<PciDevice, bool> linkUp)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _); //~ IOMMU0058
            if (rc != Errno.None)
            {
                return rc;
            }

            if (!linkUp(pdev))
            {
                continue;
            }

            _idev = idev;
            return Errno.None;
        }

        return Errno.ETIMEDOUT;
    }

    public void Shutdown()
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
        var trainer = new LinkTrainer();
        var attempts = 0;
        trainer.BringUp(lab.Ctx, lab.Device(), _ => ++attempts > 1);
        trainer.Shutdown();
        return Errno.None;
    }
}
