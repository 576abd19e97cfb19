// Shape: one access per ring created in a loop; an attach failure `break`s out of the loop without destroying that ring's access
// From: multi-ring emulated devices unwinding with break
// Label: BUG
// Runtime: leak
using System.Collections.Generic;

public sealed class RingAccessOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class RingSet
{
    private readonly List<IommufdAccess> _rings = new();

    public Errno Open(IommufdCtx ictx, IReadOnlyList<IoasId> ringSpaces)
    {
        var rc = Errno.None;
        foreach (var ioas in ringSpaces)
        {
            rc = Iommufd.AccessCreate(ictx, new RingAccessOps(), out var access, out _); //~ IOMMU0058
            if (rc != Errno.None)
            {
                break;
            }

            rc = Iommufd.AccessAttach(access!, ioas);
            if (rc != Errno.None)
            {
                break;
            }

            _rings.Add(access!);
        }

        return rc;
    }

    public void Close()
    {
        foreach (var access in _rings)
        {
            Iommufd.AccessDetach(access);
            Iommufd.AccessDestroy(access);
        }

        _rings.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rings = new RingSet();
        rings.Open(lab.Ctx, new[] { lab.Ioas, new IoasId(4242) });
        rings.Close();
        return Errno.None;
    }
}
