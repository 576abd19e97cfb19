// Shape: (spec) a recursive helper that unbinds a chain of functions from the last to the first
// From: issue 9 §3 inference cases: recursion (cut off to "unknown", never a report)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

[DriverManagedDma]
public sealed class FunctionChain
{
    private readonly List<IommufdDevice> _chain = new();

    public Errno Probe(IommufdCtx ictx, IEnumerable<PciDevice> functions)
    {
        foreach (var pdev in functions)
        {
            var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
            if (rc != Errno.None)
            {
                UnbindFrom(0);
                return rc;
            }

            _chain.Add(idev!);
        }

        return Errno.None;
    }

    public void Remove() => UnbindFrom(0);

    private void UnbindFrom(int index)
    {
        if (index >= _chain.Count)
        {
            _chain.Clear();
            return;
        }

        var idev = _chain[index];
        UnbindFrom(index + 1);
        Iommufd.DeviceUnbind(idev);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var chain = new FunctionChain();
        var rc = chain.Probe(lab.Ctx, new[] { lab.Device(), lab.Device(), lab.Device() });
        chain.Remove();
        return rc;
    }
}
