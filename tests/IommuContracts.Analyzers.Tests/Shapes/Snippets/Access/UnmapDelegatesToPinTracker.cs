// Shape: the unmap callback delegates to a pin-tracker object of another class, which unpins the overlapping ranges
// From: drivers that keep their pin bookkeeping in a separate structure (vfio-ccw's channel program, gvt's dma cache)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public sealed class PinTracker
{
    private readonly List<(ulong Iova, ulong Length)> _pins = new();

    public IommufdAccess? Access { get; set; }

    public Errno Pin(ulong iova, ulong length)
    {
        var rc = Iommufd.AccessPinPages(Access!, iova, length, true, out _);
        if (rc == Errno.None)
        {
            _pins.Add((iova, length));
        }

        return rc;
    }

    public void ReleaseOverlapping(ulong iova, ulong length)
    {
        _pins.RemoveAll(p =>
        {
            if (p.Iova >= iova + length || iova >= p.Iova + p.Length)
            {
                return false;
            }

            Iommufd.AccessUnpinPages(Access!, p.Iova, p.Length);
            return true;
        });
    }
}

public sealed class TrackedOps : IIommufdAccessOps
{
    public PinTracker Tracker { get; } = new();

    public bool NeedsPinPages => true;

    public void Unmap(ulong iova, ulong length) => Tracker.ReleaseOverlapping(iova, length);
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
        var ops = new TrackedOps();
        rc = Iommufd.AccessCreate(lab.Ctx, ops, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            ops.Tracker.Access = access;
            rc = ops.Tracker.Pin(iova, 0x1000);
            var length = 0x1000UL;
            if (rc == Errno.None) rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}
