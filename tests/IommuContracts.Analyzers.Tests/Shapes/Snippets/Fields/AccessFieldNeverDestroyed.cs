// Shape: an emulated device creates its access in open_device and its close_device only detaches
// From: drivers/vfio/iommufd.c emulated unbind without iommufd_access_destroy
// Label: BUG
// Runtime: leak

public sealed class ApOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class VfioApQueue
{
    private IommufdAccess? _access; //~ IOMMU0017

    public Errno OpenDevice(IommufdCtx ictx, IoasId ioas)
    {
        var rc = Iommufd.AccessCreate(ictx, new ApOps(), out _access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        return Iommufd.AccessAttach(_access!, ioas);
    }

    public void CloseDevice()
    {
        if (_access is { IsAttached: true } access)
        {
            Iommufd.AccessDetach(access);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var queue = new VfioApQueue();
        var rc = queue.OpenDevice(lab.Ctx, lab.Ioas);
        queue.CloseDevice();
        return rc;
    }
}
