// Shape: a file object keeps the context reference from open to release; release tests it with a pattern and puts it
// From: drivers/vfio/device_cdev.c (df->iommufd held from BIND_IOMMUFD to release)
// Label: OK
// Runtime: clean

public sealed class DeviceCdevFile
{
    private IommufdCtx? _iommufd;

    public Errno BindIommufd(SimulatedProcess process, int fd)
    {
        if (_iommufd is not null)
        {
            return Errno.EINVAL;
        }

        return Iommufd.CtxFromFd(process, fd, out _iommufd);
    }

    public void Release()
    {
        if (_iommufd is { } ictx)
        {
            Iommufd.CtxPut(ictx);
            _iommufd = null;
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var file = new DeviceCdevFile();
        var rc = file.BindIommufd(lab.Process, lab.Fd);
        if (rc != Errno.None) return rc;
        if (file.BindIommufd(lab.Process, lab.Fd) != Errno.EINVAL) return Errno.EINVAL;
        file.Release();
        return Errno.None;
    }
}
