// Shape: an iterator (yield return) that binds each function and yields the idev; the caller collects and later unbinds them
// From: lazy enumeration of assignable devices in managed code
// Label: OK
// Runtime: clean
using System.Collections.Generic;
using System.Linq;

[DriverManagedDma]
public static class LazyBinder
{
    public static IEnumerable<IommufdDevice> BindEach(IommufdCtx ictx, IEnumerable<PciDevice> functions)
    {
        foreach (var pdev in functions)
        {
            if (Iommufd.DeviceBind(ictx, pdev, out var idev, out _) == Errno.None)
            {
                yield return idev!;
            }
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var bound = LazyBinder.BindEach(lab.Ctx, new[] { lab.Device(), lab.Device(driver: DeviceDriverKind.DmaApi), lab.Device() }).ToList();
        foreach (var idev in bound) Iommufd.DeviceUnbind(idev);
        return bound.Count == 2 ? Errno.None : Errno.EINVAL;
    }
}
