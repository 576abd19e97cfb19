// Shape: pin a scatter list page by page; on a failure unpin what was pinned so far, in a second loop
// From: drivers/vfio/vfio_main.c vfio_pin_pages callers (gvt, ccw) pinning one page at a time
// Label: OK
// Runtime: clean ENOENT
using System.Collections.Generic;

public sealed class ScatterPinner : IIommufdAccessOps
{
    private readonly List<ulong> _pinned = new();

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages => true;

    public Errno PinAll(IReadOnlyList<ulong> pages)
    {
        foreach (var iova in pages)
        {
            var rc = Iommufd.AccessPinPages(Access!, iova, 0x1000, true, out _);
            if (rc != Errno.None)
            {
                UnpinAll();
                return rc;
            }

            _pinned.Add(iova);
        }

        return Errno.None;
    }

    public void UnpinAll()
    {
        for (var i = _pinned.Count - 1; i >= 0; i--)
        {
            Iommufd.AccessUnpinPages(Access!, _pinned[i], 0x1000);
        }

        _pinned.Clear();
    }

    public void Unmap(ulong iova, ulong length) => UnpinAll();
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var va = lab.Process.Mmap(0x2000);
        var iova = 0UL;
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x2000, ref iova);
        if (rc != Errno.None) return rc;
        var pinner = new ScatterPinner();
        rc = Iommufd.AccessCreate(lab.Ctx, pinner, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            pinner.Access = access;
            // The third page is past the mapping: its pin fails with ENOENT and the first two are unpinned.
            rc = pinner.PinAll(new[] { iova, iova + 0x1000, iova + 0x2000 });
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}
