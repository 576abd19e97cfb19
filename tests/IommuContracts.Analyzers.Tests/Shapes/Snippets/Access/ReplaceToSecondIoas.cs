// Shape: an attached access moved to another IOAS with iommufd_access_replace (the emulated attach when already attached)
// From: drivers/vfio/iommufd.c vfio_iommufd_emulated_attach_ioas (replace when attached)
// Label: OK
// Runtime: clean

public sealed class MovableOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class MovableEmulatedDevice
{
    private IommufdAccess? _access;

    public Errno Open(IommufdCtx ictx) => Iommufd.AccessCreate(ictx, new MovableOps(), out _access, out _);

    public Errno AttachIoas(IoasId ioas)
    {
        if (_access is null)
        {
            return Errno.EINVAL;
        }

        return _access.IsAttached ? Iommufd.AccessReplace(_access, ioas) : Iommufd.AccessAttach(_access, ioas);
    }

    public void Close()
    {
        if (_access is null)
        {
            return;
        }

        if (_access.IsAttached)
        {
            Iommufd.AccessDetach(_access);
        }

        Iommufd.AccessDestroy(_access);
        _access = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var second);
        if (rc != Errno.None) return rc;
        var device = new MovableEmulatedDevice();
        rc = device.Open(lab.Ctx);
        if (rc == Errno.None) rc = device.AttachIoas(lab.Ioas);
        if (rc == Errno.None) rc = device.AttachIoas(second);
        device.Close();
        return rc;
    }
}
