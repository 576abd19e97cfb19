// Shape: results that really are not needed discarded explicitly with `_ =` (the documented way to ignore an Errno)
// From: teardown paths that cannot do anything about a failure
// Label: OK
// Runtime: clean

public static class BestEffortTeardown
{
    public static Errno Run(SimulatedIoctlFile iommufd, IoasId ioas, ulong vaddr)
    {
        var iova = 0UL;
        var rc = iommufd.IoasMap(IommuIoasMapFlags.Readable, ioas, vaddr, 0x1000, ref iova);
        if (rc != Errno.None)
        {
            return rc;
        }

        var length = ulong.MaxValue;
        _ = iommufd.IoasUnmap(ioas, 0, ref length);
        Console.WriteLine($"unmapped {length} bytes");
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => BestEffortTeardown.Run(lab.IommufdFile, lab.Ioas, lab.Process.Mmap(0x1000));
}
