// Shape: one cleanup block at the end driven by bool flags set after each successful step
// From: "bool bound = false; ... out: if (bound) unbind();" style in drivers that avoid gotos
// Label: OK
// Runtime: clean ENOENT

public sealed class DoorbellOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

[DriverManagedDma]
public sealed class DoorbellProbe
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev, IoasId ioas)
    {
        var bound = false;
        var created = false;
        IommufdDevice? idev = null;
        IommufdAccess? access = null;

        var rc = Iommufd.DeviceBind(ictx, pdev, out idev, out _);
        if (rc == Errno.None)
        {
            bound = true;
            rc = Iommufd.AccessCreate(ictx, new DoorbellOps(), out access, out _);
            if (rc == Errno.None)
            {
                created = true;
                rc = Iommufd.AccessAttach(access!, ioas);
                if (rc == Errno.None)
                {
                    Iommufd.AccessDetach(access!);
                }
            }
        }

        if (created)
        {
            Iommufd.AccessDestroy(access!);
        }

        if (bound)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    // The IOAS ID is stale: the attach fails with ENOENT and the flags unwind the rest.
    public static Errno Run(TwinLab lab) => new DoorbellProbe().Probe(lab.Ctx, lab.Device(), new IoasId(4242));
}
