// Shape: map flags computed from a per-region policy (read-only ROM vs RAM), passed in a variable
// From: QEMU's readonly parameter of iommufd_backend_map_dma
// Label: OK
// Runtime: clean

public sealed record GuestRegion(ulong Vaddr, ulong Size, bool ReadOnly);

public static class RegionMapper
{
    public static Errno MapAll(SimulatedIoctlFile iommufd, IoasId ioas, GuestRegion[] regions)
    {
        foreach (var region in regions)
        {
            var flags = IommuIoasMapFlags.Readable;
            if (!region.ReadOnly)
            {
                flags |= IommuIoasMapFlags.Writeable;
            }

            var iova = 0UL;
            var rc = iommufd.IoasMap(flags, ioas, region.Vaddr, region.Size, ref iova);
            if (rc != Errno.None)
            {
                return rc;
            }

            Console.WriteLine($"mapped {region} at 0x{iova:X}");
        }

        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = RegionMapper.MapAll(lab.IommufdFile, lab.Ioas, new[]
        {
            new GuestRegion(lab.Process.Mmap(0x4000), 0x4000, false),
            new GuestRegion(lab.Process.Mmap(0x1000), 0x1000, true),
        });
        var length = ulong.MaxValue;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, 0, ref length);
        return rc != Errno.None ? rc : length == 0x5000 ? unmapped : Errno.EINVAL;
    }
}
