// Shape: a loop binds and attaches every function of a card; a failure unwinds the functions done so far (detach, then unbind)
// From: multi-function passthrough (QEMU attaching each vfio device of a group)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class CardPassthrough
{
    private readonly List<IommufdDevice> _attached = new();

    public Errno Start(IommufdCtx ictx, IReadOnlyList<PciDevice> functions, IoasId ioas)
    {
        foreach (var pdev in functions)
        {
            var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
            if (rc != Errno.None)
            {
                Stop();
                return rc;
            }

            rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
            if (rc != Errno.None)
            {
                Iommufd.DeviceUnbind(idev!);
                Stop();
                return rc;
            }

            Console.WriteLine($"{pdev.Address} on {hwpt}");
            _attached.Add(idev!);
        }

        return Errno.None;
    }

    public void Stop()
    {
        foreach (var idev in _attached)
        {
            Iommufd.DeviceDetach(idev);
            Iommufd.DeviceUnbind(idev);
        }

        _attached.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var card = new CardPassthrough();
        var rc = card.Start(lab.Ctx, new[] { lab.Device(), lab.Device() }, lab.Ioas);
        card.Stop();
        if (rc != Errno.None) return rc;
        var broken = new CardPassthrough();
        return broken.Start(lab.Ctx, new[] { lab.Device(), lab.Device(driver: DeviceDriverKind.DmaApi) }, lab.Ioas) == Errno.EPERM ? Errno.None : Errno.EINVAL;
    }
}
