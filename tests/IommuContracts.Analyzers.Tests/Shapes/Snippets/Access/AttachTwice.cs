// Shape: open_device attaches the access, and the later ioctl path attaches it again instead of replacing
// From: vfio emulated attach without the "already attached" check
// Label: BUG
// Runtime: violation IOMMU0013

public sealed class TwiceOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class TwiceAttached
{
    public static Errno Open(IommufdCtx ictx, IoasId first, IoasId second)
    {
        var rc = Iommufd.AccessCreate(ictx, new TwiceOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, first);
        if (rc == Errno.None)
        {
            rc = Iommufd.AccessAttach(access!, second); //~ IOMMU0013
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var second);
        return rc != Errno.None ? rc : TwiceAttached.Open(lab.Ctx, lab.Ioas, second);
    }
}
