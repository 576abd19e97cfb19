// Shape: try a list of candidate fds until one is an iommufd (break on success), use the reference, put it
// From: VMMs accepting several fds and probing which one is /dev/iommu
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public static class FdProbe
{
    public static Errno FindIommufd(SimulatedProcess process, IEnumerable<int> candidates, IommuGroup group, out bool owned)
    {
        owned = false;
        IommufdCtx? ictx = null;
        var rc = Errno.EBADF;
        foreach (var fd in candidates)
        {
            rc = Iommufd.CtxFromFd(process, fd, out ictx);
            if (rc == Errno.None)
            {
                break;
            }
        }

        if (rc != Errno.None)
        {
            return rc;
        }

        owned = Iommufd.CtxHasGroup(ictx!, group);
        Iommufd.CtxPut(ictx!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = FdProbe.FindIommufd(lab.Process, new[] { 977, 978, lab.Fd }, lab.Device().Group, out var owned);
        return rc != Errno.None ? rc : owned ? Errno.EINVAL : Errno.None;
    }
}
