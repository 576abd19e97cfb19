// Shape: a ValueTask method with a synchronous fast path and an async slow path, both releasing the context reference
// From: high-rate managed control planes avoiding allocations
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

public sealed class OwnershipCache
{
    private readonly System.Collections.Generic.HashSet<IommuGroup> _known = new();

    public ValueTask<bool> IsOwnedAsync(SimulatedProcess process, int iommufd, IommuGroup group)
    {
        if (_known.Contains(group))
        {
            return new ValueTask<bool>(true);
        }

        return new ValueTask<bool>(SlowAsync(process, iommufd, group));
    }

    private async Task<bool> SlowAsync(SimulatedProcess process, int iommufd, IommuGroup group)
    {
        await Task.Yield();
        if (Iommufd.CtxFromFd(process, iommufd, out var ictx) != Errno.None)
        {
            return false;
        }

        try
        {
            var owned = Iommufd.CtxHasGroup(ictx!, group);
            if (owned)
            {
                _known.Add(group);
            }

            return owned;
        }
        finally
        {
            Iommufd.CtxPut(ictx!);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var owned = new OwnershipCache().IsOwnedAsync(lab.Process, lab.Fd, lab.Device().Group).AsTask().GetAwaiter().GetResult();
        return owned ? Errno.EINVAL : Errno.None;
    }
}
