// Shape: bind every function of a multi-function card into a list; on a failure unbind what was bound, newest first
// From: multi-function probe paths unwinding with a reverse loop (for (i--; i >= 0; i--))
// Label: OK
// Runtime: clean EPERM
using System.Collections.Generic;

[DriverManagedDma]
public sealed class MultiFunctionCard
{
    private readonly List<IommufdDevice> _functions = new();

    public Errno Probe(IommufdCtx ictx, IReadOnlyList<PciDevice> functions)
    {
        foreach (var function in functions)
        {
            var rc = Iommufd.DeviceBind(ictx, function, out var idev, out _);
            if (rc != Errno.None)
            {
                for (var i = _functions.Count - 1; i >= 0; i--)
                {
                    Iommufd.DeviceUnbind(_functions[i]);
                }

                _functions.Clear();
                return rc;
            }

            _functions.Add(idev!);
        }

        return Errno.None;
    }

    public void Remove()
    {
        for (var i = _functions.Count - 1; i >= 0; i--)
        {
            Iommufd.DeviceUnbind(_functions[i]);
        }

        _functions.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var card = new MultiFunctionCard();
        var rc = card.Probe(lab.Ctx, new[] { lab.Device(), lab.Device() });
        card.Remove();
        if (rc != Errno.None) return rc;
        // A card whose last function is still claimed by a DMA-API driver: the probe unwinds the others.
        return card.Probe(lab.Ctx, new[] { lab.Device(), lab.Device(), lab.Device(driver: DeviceDriverKind.DmaApi) });
    }
}
