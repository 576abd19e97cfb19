// Shape: the access is attached only when user space already set an IOAS; the read that follows runs either way
// From: emulated devices whose open path attaches "if an IOAS is known"
// Label: BUG
// Runtime: errno ENOENT

public sealed class MaybeOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class MaybeAttached
{
    public static Errno ReadConfig(IommufdCtx ictx, IoasId? ioas, ulong configIova)
    {
        var rc = Iommufd.AccessCreate(ictx, new MaybeOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        if (ioas is { } target)
        {
            rc = Iommufd.AccessAttach(access!, target);
            if (rc != Errno.None)
            {
                Iommufd.AccessDestroy(access!);
                return rc;
            }
        }

        rc = Iommufd.AccessRw(access!, configIova, new byte[16], AccessRwFlags.Read); //~ IOMMU0063
        Iommufd.AccessDestroy(access!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => MaybeAttached.ReadConfig(lab.Ctx, null, 0x1000);
}
