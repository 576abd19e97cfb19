// Shape: "unmap everything" done in two halves of the 64-bit space, adding up what each half removed; an empty half (ENOENT) counts as nothing removed
// From: QEMU hw/vfio/iommufd.c iommufd_cdev_unmap (unmap_all in halves) and backends/iommufd.c (ENOENT tolerated)
// Label: OK
// Runtime: clean

public static class ContainerReset
{
    public static Errno UnmapAll(SimulatedIoctlFile iommufd, IoasId ioas, out ulong removed)
    {
        const ulong Half = 1UL << 63;
        removed = 0;
        foreach (var start in new[] { 0UL, Half })
        {
            var length = Half;
            var rc = iommufd.IoasUnmap(ioas, start, ref length);
            if (rc == Errno.ENOENT)
            {
                continue;
            }

            if (rc != Errno.None)
            {
                return rc;
            }

            removed += length;
        }

        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var iova = 0UL;
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable, lab.Ioas, lab.Process.Mmap(0x3000), 0x3000, ref iova);
        if (rc != Errno.None) return rc;
        rc = ContainerReset.UnmapAll(lab.IommufdFile, lab.Ioas, out var removed);
        return rc != Errno.None ? rc : removed == 0x3000 ? Errno.None : Errno.EINVAL;
    }
}
