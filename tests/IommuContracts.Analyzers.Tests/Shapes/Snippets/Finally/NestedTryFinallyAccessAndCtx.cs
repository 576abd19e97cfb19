// Shape: nested try/finally blocks for a context reference and an access created in it
// From: resource nesting in managed emulated devices
// Label: OK
// Runtime: clean

public sealed class ProbeOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public static class NestedResources
{
    public static Errno Probe(SimulatedProcess process, int iommufd, IoasId ioas)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            rc = Iommufd.AccessCreate(ictx!, new ProbeOps(), out var access, out _);
            if (rc != Errno.None)
            {
                return rc;
            }

            try
            {
                rc = Iommufd.AccessAttach(access!, ioas);
                if (rc == Errno.None)
                {
                    Iommufd.AccessDetach(access!);
                }

                return rc;
            }
            finally
            {
                Iommufd.AccessDestroy(access!);
            }
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
    public static Errno Run(TwinLab lab) => NestedResources.Probe(lab.Process, lab.Fd, lab.Ioas);
}
