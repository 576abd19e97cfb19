// Shape: the unmap callback checks whether the channel program pinned anything in the range and resets the program, which unpins it
// From: drivers/s390/cio/vfio_ccw_ops.c (vfio_ccw_dma_unmap -> vfio_ccw_mdev_reset -> cp_free)
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public sealed class ChannelProgram
{
    private readonly List<(ulong Iova, ulong Length)> _pinned = new();

    public IommufdAccess? Access { get; set; }

    public bool IovaPinned(ulong iova, ulong length) => _pinned.Exists(p => p.Iova < iova + length && iova < p.Iova + p.Length);

    public Errno Pin(ulong iova, ulong length)
    {
        var rc = Iommufd.AccessPinPages(Access!, iova, length, true, out _);
        if (rc == Errno.None)
        {
            _pinned.Add((iova, length));
        }

        return rc;
    }

    public void Free()
    {
        foreach (var (iova, length) in _pinned)
        {
            Iommufd.AccessUnpinPages(Access!, iova, length);
        }

        _pinned.Clear();
    }
}

public sealed class VfioCcwPrivate : IIommufdAccessOps
{
    public ChannelProgram Cp { get; } = new();

    public bool NeedsPinPages => true;

    public void Unmap(ulong iova, ulong length)
    {
        if (!Cp.IovaPinned(iova, length))
        {
            return;
        }

        Reset();
    }

    private void Reset()
    {
        Console.WriteLine("vfio_ccw: channel program reset by unmap");
        Cp.Free();
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
        var ops = new VfioCcwPrivate();
        rc = Iommufd.AccessCreate(lab.Ctx, ops, out var access, out _);
        if (rc != Errno.None) return rc;
        rc = Iommufd.AccessAttach(access!, lab.Ioas);
        if (rc == Errno.None)
        {
            ops.Cp.Access = access;
            rc = ops.Cp.Pin(iova, 0x1000);
            var length = 0x2000UL;
            if (rc == Errno.None) rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
            Iommufd.AccessDetach(access!);
        }

        Iommufd.AccessDestroy(access!);
        return rc;
    }
}
