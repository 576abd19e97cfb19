// Shape: an mdev-style driver pins the guest's ring as soon as its access exists, before attaching it to the IOAS
// From: vfio_pin_pages called from open_device before the IOAS attach (ordering bug)
// Label: BUG
// Runtime: errno ENOENT

public sealed class EarlyPinOps : IIommufdAccessOps
{
    public bool NeedsPinPages => true;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class EarlyPinDevice
{
    public Errno Open(IommufdCtx ictx, IoasId ioas, ulong ringIova)
    {
        var rc = Iommufd.AccessCreate(ictx, new EarlyPinOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessPinPages(access!, ringIova, 0x1000, true, out _); //~ IOMMU0013
        if (rc == Errno.None)
        {
            rc = Iommufd.AccessAttach(access!, ioas);
            Iommufd.AccessUnpinPages(access!, ringIova, 0x1000);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new EarlyPinDevice().Open(lab.Ctx, lab.Ioas, 0x1000);
}
