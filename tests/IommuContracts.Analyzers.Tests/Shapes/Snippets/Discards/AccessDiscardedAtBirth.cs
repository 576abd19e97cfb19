// Shape: an access created only to reserve an access ID, the access itself discarded (out _)
// From: ID-reservation shortcuts
// Label: BUG
// Runtime: leak

public sealed class ReservationOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class AccessIds
{
    public static Errno Reserve(IommufdCtx ictx, out AccessId id)
        => Iommufd.AccessCreate(ictx, new ReservationOps(), out _, out id); //~ IOMMU0008
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => AccessIds.Reserve(lab.Ctx, out _);
}
