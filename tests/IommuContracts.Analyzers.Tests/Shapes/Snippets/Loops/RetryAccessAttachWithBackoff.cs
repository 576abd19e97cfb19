// Shape: the access attach retried in a for loop while it answers EBUSY, then checked once after the loop
// From: retry loops in emulated devices that race with user-space IOAS changes
// Label: OK
// Runtime: clean

public sealed class BackoffOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class BackoffAttach
{
    public static Errno Open(IommufdCtx ictx, IoasId ioas)
    {
        var rc = Iommufd.AccessCreate(ictx, new BackoffOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            rc = Iommufd.AccessAttach(access!, ioas);
            if (rc != Errno.EBUSY)
            {
                break;
            }
        }

        if (rc == Errno.None)
        {
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => BackoffAttach.Open(lab.Ctx, lab.Ioas);
}
