// Shape: a context reference taken from the user's fd for one query and put in finally
// From: drivers/vfio/vfio_main.c / group.c (iommufd_ctx_from_file ... iommufd_ctx_put)
// Label: OK
// Runtime: clean

public static class CompatCheck
{
    public static Errno HasGroup(SimulatedProcess process, int fd, IommuGroup group, out bool has)
    {
        has = false;
        var rc = Iommufd.CtxFromFd(process, fd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            has = Iommufd.CtxHasGroup(ictx!, group);
            return Errno.None;
        }
        finally
        {
            Iommufd.CtxPut(ictx!);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = CompatCheck.HasGroup(lab.Process, lab.Fd, lab.Device().Group, out var has);
        return rc != Errno.None ? rc : has ? Errno.EINVAL : Errno.None;
    }
}
