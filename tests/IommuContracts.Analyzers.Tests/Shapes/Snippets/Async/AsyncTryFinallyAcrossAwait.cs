// Shape: an async method that reads guest memory in a loop with awaits between reads, destroying the access in finally
// From: vhost-style emulated backends polling a ring through iommufd_access_rw
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

public sealed class RingOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class RingPoller
{
    public async Task<Errno> PollAsync(IommufdCtx ictx, IoasId ioas, ulong ringIova, int rounds)
    {
        var rc = Iommufd.AccessCreate(ictx, new RingOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        try
        {
            rc = Iommufd.AccessAttach(access!, ioas);
            if (rc != Errno.None)
            {
                return rc;
            }

            var index = new byte[2];
            for (var i = 0; i < rounds && rc == Errno.None; i++)
            {
                rc = Iommufd.AccessRw(access!, ringIova, index, AccessRwFlags.Read);
                await Task.Yield();
            }

            Iommufd.AccessDetach(access!);
            return rc;
        }
        finally
        {
            Iommufd.AccessDestroy(access!);
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
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable, lab.Ioas, va, 0x1000, ref iova);
        if (rc != Errno.None) return rc;
        rc = new RingPoller().PollAsync(lab.Ctx, lab.Ioas, iova, 3).GetAwaiter().GetResult();
        var length = 0x1000UL;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
        return rc != Errno.None ? rc : unmapped;
    }
}
