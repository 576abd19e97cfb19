// Shape: the release registered as a lambda on a teardown list (devm-style managed resources), run in reverse at remove
// From: devm_add_action_or_reset() in kernel drivers
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class ManagedDriver
{
    private readonly Stack<Action> _teardown = new();

    public Errno Probe(SimulatedProcess process, int iommufd, PciDevice pdev)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        _teardown.Push(() => Iommufd.CtxPut(ictx!));
        rc = Iommufd.DeviceBind(ictx!, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            Remove();
            return rc;
        }

        _teardown.Push(() => Iommufd.DeviceUnbind(idev!));
        return Errno.None;
    }

    public void Remove()
    {
        while (_teardown.TryPop(out var action))
        {
            action();
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new ManagedDriver();
        var rc = driver.Probe(lab.Process, lab.Fd, lab.Device());
        driver.Remove();
        return rc;
    }
}
