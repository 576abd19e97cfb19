// Shape: List.ForEach with a lambda that binds each device and stores it; a second lambda unbinds them
// From: functional-style managed code
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class LambdaBinder
{
    private readonly List<IommufdDevice> _bound = new();

    public Errno BindAll(IommufdCtx ictx, List<PciDevice> devices)
    {
        var result = Errno.None;
        devices.ForEach(pdev =>
        {
            if (result != Errno.None)
            {
                return;
            }

            result = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
            if (result == Errno.None)
            {
                _bound.Add(idev!);
            }
        });
        return result;
    }

    public void UnbindAll()
    {
        _bound.ForEach(idev => Iommufd.DeviceUnbind(idev));
        _bound.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var binder = new LambdaBinder();
        var rc = binder.BindAll(lab.Ctx, new List<PciDevice> { lab.Device(), lab.Device() });
        binder.UnbindAll();
        return rc;
    }
}
