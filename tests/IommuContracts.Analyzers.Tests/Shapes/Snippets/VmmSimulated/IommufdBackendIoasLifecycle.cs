// Shape: a VMM's iommufd backend object: allocate an IOAS, map guest RAM where the kernel chooses, unmap and compare the length, destroy
// From: QEMU backends/iommufd.c (iommufd_backend_alloc_ioas / map_dma / unmap_dma / free_id)
// Label: OK
// Runtime: clean

public sealed class IommufdBackend
{
    private readonly IIoctlFile _fd;

    public IommufdBackend(IIoctlFile fd) => _fd = fd;

    public Errno AllocIoas(out IoasId ioas) => _fd.IoasAlloc(IommuIoasAllocFlags.None, out ioas);

    public Errno MapDma(IoasId ioas, ulong vaddr, ulong size, bool readOnly, out ulong iova)
    {
        iova = 0;
        var flags = IommuIoasMapFlags.Readable | (readOnly ? 0 : IommuIoasMapFlags.Writeable);
        return _fd.IoasMap(flags, ioas, vaddr, size, ref iova);
    }

    public Errno UnmapDma(IoasId ioas, ulong iova, ulong size)
    {
        var length = size;
        var rc = _fd.IoasUnmap(ioas, iova, ref length);
        if (rc != Errno.None)
        {
            return rc;
        }

        return length == size ? Errno.None : Errno.EINVAL;
    }

    public Errno FreeId(ObjectId id) => _fd.Destroy(id);
}

public static class GuestRam
{
    public static Errno Cycle(IommufdBackend backend, ulong ram, ulong size)
    {
        var rc = backend.AllocIoas(out var ioas);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = backend.MapDma(ioas, ram, size, readOnly: false, out var iova);
        if (rc == Errno.None)
        {
            rc = backend.UnmapDma(ioas, iova, size);
        }

        var freed = backend.FreeId(ioas);
        return rc != Errno.None ? rc : freed;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => GuestRam.Cycle(new IommufdBackend(lab.IommufdFile), lab.Process.Mmap(0x10000), 0x10000);
}
