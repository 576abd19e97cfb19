// Shape: (spec) the idev handed to an interface method (an owner chosen at run time)
// From: issue 9 §3 inference cases: interface calls (unknown callee: the handle is handed on)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public interface IDeviceOwner
{
    void Adopt(IommufdDevice idev);
}

public sealed class UnbindingOwner : IDeviceOwner
{
    private readonly List<IommufdDevice> _owned = new();

    public void Adopt(IommufdDevice idev) => _owned.Add(idev);

    public void ReleaseAll()
    {
        _owned.ForEach(Iommufd.DeviceUnbind);
        _owned.Clear();
    }
}

[DriverManagedDma]
public static class Dispatcher
{
    public static Errno Bind(IommufdCtx ictx, PciDevice pdev, IDeviceOwner owner)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        owner.Adopt(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var owner = new UnbindingOwner();
        var rc = Dispatcher.Bind(lab.Ctx, lab.Device(), owner);
        owner.ReleaseAll();
        return rc;
    }
}
