// Shape: a gfn -> pinned-range cache; the unmap callback walks the cache and unpins every entry in the range
// From: drivers/gpu/drm/i915/gvt/kvmgt.c (intel_vgpu_dma_unmap -> gvt_dma cache removal -> gvt_unpin_guest_page)
// Label: OK
// Runtime: clean
using System.Collections.Generic;
using System.Linq;

public sealed class VgpuDmaCache : IIommufdAccessOps
{
    private readonly SortedDictionary<ulong, ulong> _cache = new();

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages => true;

    public Errno MapGuestPage(ulong gfnIova, ulong size)
    {
        if (_cache.ContainsKey(gfnIova))
        {
            return Errno.None;
        }

        var rc = Iommufd.AccessPinPages(Access!, gfnIova, size, true, out _);
        if (rc == Errno.None)
        {
            _cache[gfnIova] = size;
        }

        return rc;
    }

    public void Unmap(ulong iova, ulong length)
    {
        foreach (var (start, size) in _cache.Where(e => e.Key < iova + length && iova < e.Key + e.Value).ToList())
        {
            UnpinGuestPage(start, size);
        }
    }

    public void Dispose()
    {
        foreach (var (start, size) in _cache.ToList())
        {
            UnpinGuestPage(start, size);
        }
    }

    private void UnpinGuestPage(ulong start, ulong size)
    {
        Iommufd.AccessUnpinPages(Access!, start, size);
        _cache.Remove(start);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var va = lab.Process.Mmap(0x4000);
        var iova = 0UL;
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x4000, ref iova);
        if (rc != Errno.None) return rc;
        var cache = new VgpuDmaCache();
        rc = Iommufd.AccessCreate(lab.Ctx, cache, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            cache.Access = access;
            rc = cache.MapGuestPage(iova, 0x1000);
            if (rc == Errno.None) rc = cache.MapGuestPage(iova + 0x2000, 0x1000);
            var length = 0x4000UL;
            if (rc == Errno.None) rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
            cache.Dispose();
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}
