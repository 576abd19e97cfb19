// Shape: the idev passed to a registered callback (an event subscriber owns it from then on)
// From: notifier chains / event-driven device managers
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class HotplugBus
{
    private readonly Action<IommufdDevice> _onBound;

    public HotplugBus(Action<IommufdDevice> onBound) => _onBound = onBound;

    public Errno Arrive(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        _onBound(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var owned = new System.Collections.Generic.List<IommufdDevice>();
        var bus = new HotplugBus(owned.Add);
        var rc = bus.Arrive(lab.Ctx, lab.Device());
        foreach (var idev in owned) Iommufd.DeviceUnbind(idev);
        return rc;
    }
}
