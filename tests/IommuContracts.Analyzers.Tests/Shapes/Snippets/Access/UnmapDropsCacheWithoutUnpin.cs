// Shape: the unmap callback forgets the cached ranges but never unpins them; only the device close path unpins
// From: drivers/gpu/drm/i915/gvt/kvmgt.c-like cache whose unmap lost its unpin call
// Label: BUG
// Runtime: errno EDEADLOCK
using System.Collections.Generic;

public sealed class LeakyCache : IIommufdAccessOps
{
    private readonly Dictionary<ulong, ulong> _cache = new();

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages => true;

    public Errno Map(ulong iova, ulong size)
    {
        var rc = Iommufd.AccessPinPages(Access!, iova, size, true, out _);
        if (rc == Errno.None)
        {
            _cache[iova] = size;
        }

        return rc;
    }

    public void Unmap(ulong iova, ulong length) //~ IOMMU0014
    {
        foreach (var start in new List<ulong>(_cache.Keys))
        {
            if (start >= iova && start < iova + length)
            {
                _cache.Remove(start);
            }
        }
    }

    public void Close()
    {
        foreach (var (start, size) in _cache)
        {
            Iommufd.AccessUnpinPages(Access!, start, size);
        }

        _cache.Clear();
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
        var cache = new LeakyCache();
        rc = Iommufd.AccessCreate(lab.Ctx, cache, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            cache.Access = access;
            rc = cache.Map(iova, 0x1000);
            var length = 0x1000UL;
            if (rc == Errno.None) rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
        }

        return rc;
    }
}
