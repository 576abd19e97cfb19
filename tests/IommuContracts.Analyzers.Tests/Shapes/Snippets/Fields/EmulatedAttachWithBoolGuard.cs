// Shape: an emulated device keeps the access and an "attached" flag in fields: attach returns EBUSY when the flag is set, detach and close test it
// From: drivers/vfio/iommufd.c (vfio_iommufd_emulated_attach_ioas / _detach_ioas / _unbind with vdev->iommufd_attached)
// Label: OK
// Runtime: clean

public sealed class GvtOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class EmulatedVfioDevice
{
    private IommufdAccess? _access;
    private bool _attached;

    public Errno Bind(IommufdCtx ictx) => Iommufd.AccessCreate(ictx, new GvtOps(), out _access, out _);

    public Errno AttachIoas(IoasId ioas)
    {
        if (_attached)
        {
            return Errno.EBUSY;
        }

        var rc = Iommufd.AccessAttach(_access!, ioas);
        if (rc != Errno.None)
        {
            return rc;
        }

        _attached = true;
        return Errno.None;
    }

    public void DetachIoas()
    {
        if (!_attached)
        {
            return;
        }

        Iommufd.AccessDetach(_access!);
        _attached = false;
    }

    public void Unbind()
    {
        if (_access is not null)
        {
            Iommufd.AccessDestroy(_access);
            _attached = false;
            _access = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var vdev = new EmulatedVfioDevice();
        var rc = vdev.Bind(lab.Ctx);
        if (rc != Errno.None) return rc;
        rc = vdev.AttachIoas(lab.Ioas);
        if (rc != Errno.None) return rc;
        if (vdev.AttachIoas(lab.Ioas) != Errno.EBUSY) return Errno.EINVAL;
        vdev.DetachIoas();
        rc = vdev.AttachIoas(lab.Ioas);
        vdev.Unbind();
        return rc;
    }
}
