// Shape: an access wrapped in a lease struct whose Dispose destroys it, used with a using block around a guest-memory read
// From: drivers/vfio/iommufd.c (vfio_iommufd_emulated_bind / _unbind) as a scoped object
// Label: OK
// Runtime: clean

public sealed class NoPinOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public readonly struct AccessLease : IDisposable
{
    private readonly IommufdAccess _access;

    private AccessLease(IommufdAccess access) => _access = access;

    public IommufdAccess Access => _access;

    public static Errno Create(IommufdCtx ictx, out AccessLease lease)
    {
        lease = default;
        var rc = Iommufd.AccessCreate(ictx, new NoPinOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        lease = new AccessLease(access!);
        return Errno.None;
    }

    public void Dispose() => Iommufd.AccessDestroy(_access);
}

public static class RingPeek
{
    public static Errno ReadHeader(IommufdCtx ictx, IoasId ioas, ulong iova, byte[] header)
    {
        var rc = AccessLease.Create(ictx, out var lease);
        if (rc != Errno.None)
        {
            return rc;
        }

        using (lease)
        {
            rc = Iommufd.AccessAttach(lease.Access, ioas);
            if (rc != Errno.None)
            {
                return rc;
            }

            rc = Iommufd.AccessRw(lease.Access, iova, header, AccessRwFlags.Read);
            Iommufd.AccessDetach(lease.Access);
            return rc;
        }
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
        rc = RingPeek.ReadHeader(lab.Ctx, lab.Ioas, iova, new byte[16]);
        var length = 0x1000UL;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
        return rc != Errno.None ? rc : unmapped;
    }
}
