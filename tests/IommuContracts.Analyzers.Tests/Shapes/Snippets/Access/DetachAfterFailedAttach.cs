// Shape: the error path of a failed access attach detaches before destroying
// From: unwind code that mirrors the success path one step too far (K9 for accesses)
// Label: BUG
// Runtime: violation IOMMU0013

public sealed class UnwindOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class OverUnwound
{
    public static Errno Open(IommufdCtx ictx, IoasId ioas)
    {
        var rc = Iommufd.AccessCreate(ictx, new UnwindOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, ioas);
        if (rc != Errno.None)
        {
            Iommufd.AccessDetach(access!); //~ IOMMU0013
            Iommufd.AccessDestroy(access!);
            return rc;
        }

        Iommufd.AccessDetach(access!);
        Iommufd.AccessDestroy(access!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => OverUnwound.Open(lab.Ctx, new IoasId(4242));
}
