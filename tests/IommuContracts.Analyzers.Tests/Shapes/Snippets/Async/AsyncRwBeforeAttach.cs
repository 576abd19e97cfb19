// Shape: an async emulated device reads its config page before the access is attached (attach happens in a later await)
// From: vfio_dma_rw called from an async worker that raced the attach
// Label: BUG
// Runtime: errno ENOENT
using System.Threading.Tasks;

public sealed class ConfigOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class AsyncEmulatedDevice
{
    public async Task<Errno> StartAsync(IommufdCtx ictx, IoasId ioas, ulong configIova)
    {
        var rc = Iommufd.AccessCreate(ictx, new ConfigOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        var config = new byte[64];
        rc = Iommufd.AccessRw(access!, configIova, config, AccessRwFlags.Read); //~ IOMMU0013
        await Task.Yield();
        if (rc == Errno.None && Iommufd.AccessAttach(access!, ioas) == Errno.None)
        {
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AsyncEmulatedDevice().StartAsync(lab.Ctx, lab.Ioas, 0x1000).GetAwaiter().GetResult();
}
