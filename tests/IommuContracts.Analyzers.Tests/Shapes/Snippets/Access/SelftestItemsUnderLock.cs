// Shape: pinned ranges kept as items in a list under a lock; the unmap callback removes and unpins overlapping items
// From: drivers/iommu/iommufd/selftest.c (iommufd_test_access_unmap over staccess->items)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public sealed class StagedAccess : IIommufdAccessOps
{
    private readonly object _lock = new();
    private readonly List<(ulong Iova, ulong Length)> _items = new();

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages => true;

    public Errno Pages(ulong iova, ulong length)
    {
        var rc = Iommufd.AccessPinPages(Access!, iova, length, false, out var pages);
        if (rc != Errno.None)
        {
            return rc;
        }

        lock (_lock)
        {
            _items.Add((iova, length));
        }

        Console.WriteLine($"pinned {pages.Length} pages");
        return Errno.None;
    }

    public void Unmap(ulong iova, ulong length)
    {
        lock (_lock)
        {
            for (var i = _items.Count - 1; i >= 0; i--)
            {
                var item = _items[i];
                if (item.Iova < iova + length && iova < item.Iova + item.Length)
                {
                    Iommufd.AccessUnpinPages(Access!, item.Iova, item.Length);
                    _items.RemoveAt(i);
                }
            }
        }
    }
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
        var staged = new StagedAccess();
        rc = Iommufd.AccessCreate(lab.Ctx, staged, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            staged.Access = access;
            rc = staged.Pages(iova, 0x2000);
            var length = 0x2000UL;
            if (rc == Errno.None) rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
            Iommufd.AccessDetach(access!);
        }

        // Destroy asks the ops to unmap what is left (nothing here).
        Iommufd.AccessDestroy(access!);
        return rc;
    }
}
