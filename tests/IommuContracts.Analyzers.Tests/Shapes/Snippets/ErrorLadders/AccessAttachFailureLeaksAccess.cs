// Shape: an emulated device creates its access and returns the attach error without destroying it
// From: drivers/vfio/iommufd.c emulated bind + attach_ioas, with the unwind forgotten
// Label: BUG
// Runtime: leak

public sealed class CcwOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class ChannelSubchannel
{
    private IommufdAccess? _access;

    public Errno Open(IommufdCtx ictx, IoasId ioas)
    {
        var rc = Iommufd.AccessCreate(ictx, new CcwOps(), out var access, out _); //~ IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, ioas);
        if (rc != Errno.None)
        {
            return rc;
        }

        _access = access;
        return Errno.None;
    }

    public void Close()
    {
        if (_access is { } access)
        {
            _access = null;
            Iommufd.AccessDestroy(access);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var sch = new ChannelSubchannel();
        var rc = sch.Open(lab.Ctx, new IoasId(4242));
        sch.Close();
        return rc;
    }
}
