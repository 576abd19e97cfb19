// Shape: a LINQ pipeline collects the IDs of bound functions; the bindings themselves live in the driver's list
// From: managed code mixing LINQ with resource ownership
// Label: OK
// Runtime: clean
using System.Collections.Generic;
using System.Linq;

[DriverManagedDma]
public sealed class FunctionSet
{
    private readonly List<IommufdDevice> _bound = new();

    public Errno BindAll(IommufdCtx ictx, IEnumerable<PciDevice> functions)
    {
        foreach (var pdev in functions)
        {
            var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
            if (rc != Errno.None)
            {
                return rc;
            }

            _bound.Add(idev!);
        }

        return Errno.None;
    }

    public IReadOnlyList<DeviceId> Ids() => _bound.Select(Iommufd.DeviceToId).ToList();

    public void UnbindAll()
    {
        _bound.ForEach(Iommufd.DeviceUnbind);
        _bound.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var set = new FunctionSet();
        var rc = set.BindAll(lab.Ctx, new[] { lab.Device(), lab.Device(), lab.Device() });
        var ids = set.Ids();
        set.UnbindAll();
        return rc != Errno.None ? rc : ids.Distinct().Count() == 3 ? Errno.None : Errno.EINVAL;
    }
}
