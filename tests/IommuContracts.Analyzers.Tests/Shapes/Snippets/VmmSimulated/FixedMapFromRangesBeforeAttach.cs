// Shape: read the usable IOVA ranges of a fresh IOAS, then map at a fixed IOVA inside the first range; nothing was attached in between
// From: libvfn src/iommu/iommufd.c (vfio_configure_iommu then vfio_do_map_dma with FIXED_IOVA)
// Label: OK
// Runtime: clean

public static class IovaAllocator
{
    public static Errno MapAtStartOfFirstRange(SimulatedProcess process, SimulatedIoctlFile iommufd, IoasId ioas, ulong vaddr, ulong size)
    {
        var rangesVa = process.Mmap(0x1000);
        uint count = 16;
        var rc = iommufd.IoasIovaRanges(ioas, rangesVa, ref count, out var alignment);
        if (rc != Errno.None)
        {
            return rc;
        }

        Span<byte> first = stackalloc byte[8];
        rc = process.Read(rangesVa, first);
        if (rc != Errno.None)
        {
            return rc;
        }

        var align = Math.Max(alignment, 0x1000UL);
        var iova = (BitConverter.ToUInt64(first) + align - 1) & ~(align - 1);
        rc = iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, vaddr, size, ref iova);
        if (rc != Errno.None)
        {
            return rc;
        }

        var length = size;
        rc = iommufd.IoasUnmap(ioas, iova, ref length);
        return rc != Errno.None ? rc : length == size ? Errno.None : Errno.EINVAL;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => IovaAllocator.MapAtStartOfFirstRange(lab.Process, lab.IommufdFile, lab.Ioas, lab.Process.Mmap(0x2000), 0x2000);
}
