// Shape: an access that never pins: it writes a completion record and reads it back with iommufd_access_rw
// From: drivers/vfio/vfio_main.c vfio_dma_rw users (mdev sample drivers)
// Label: OK
// Runtime: clean

public sealed class CompletionWriter : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }

    public static Errno Complete(IommufdCtx ictx, IoasId ioas, ulong recordIova, uint status)
    {
        var rc = Iommufd.AccessCreate(ictx, new CompletionWriter(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, ioas);
        if (rc == Errno.None)
        {
            rc = Iommufd.AccessRw(access!, recordIova, BitConverter.GetBytes(status), AccessRwFlags.Write);
            var back = new byte[4];
            if (rc == Errno.None)
            {
                rc = Iommufd.AccessRw(access!, recordIova, back, AccessRwFlags.Read);
            }

            if (rc == Errno.None && BitConverter.ToUInt32(back) != status)
            {
                rc = Errno.EIO;
            }

            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
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
        rc = CompletionWriter.Complete(lab.Ctx, lab.Ioas, iova + 0x40, 0xC0FFEE);
        var length = 0x1000UL;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
        return rc != Errno.None ? rc : unmapped;
    }
}
