// Shape: close remembers the pinned ring, destroys the access, and then unpins the remembered ring through the destroyed access
// From: a close_device with its steps in the wrong order
// Label: BUG
// Runtime: violation IOMMU0013

public sealed class RingOwner : IIommufdAccessOps
{
    private IommufdAccess? _pinnedBy;
    private ulong _ring;

    public bool NeedsPinPages => true;

    public void Unmap(ulong iova, ulong length)
    {
        if (_ring != 0 && _ring >= iova && _ring < iova + length)
        {
            Iommufd.AccessUnpinPages(_pinnedBy!, _ring, 0x1000);
            _ring = 0;
        }
    }

    public Errno Run(IommufdCtx ictx, IoasId ioas, ulong ringIova)
    {
        var rc = Iommufd.AccessCreate(ictx, this, out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, ioas);
        if (rc == Errno.None)
        {
            _pinnedBy = access;
            rc = Iommufd.AccessPinPages(access!, ringIova, 0x1000, true, out _);
            _ring = rc == Errno.None ? ringIova : 0;
        }

        var pinned = _ring;
        Iommufd.AccessDestroy(access!);
        if (pinned != 0)
        {
            Iommufd.AccessUnpinPages(access!, pinned, 0x1000); //~ IOMMU0013
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var va = lab.Process.Mmap(0x1000);
        var iova = 0UL;
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x1000, ref iova);
        if (rc != Errno.None) return rc;
        return new RingOwner().Run(lab.Ctx, lab.Ioas, iova);
    }
}
