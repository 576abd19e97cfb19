// Shape: an IOAS allocated through the simulated file's Ioctl with a literal command and a hand-packed struct
// From: ports of C VMM code (ioctl(fd, IOMMU_IOAS_ALLOC, &alloc)) that kept the raw call
// Label: BUG
// Runtime: command

public static class RawAlloc
{
    public static Errno AllocIoas(SimulatedIoctlFile iommufd, out uint ioasId)
    {
        Span<byte> alloc = stackalloc byte[12];
        BitConverter.TryWriteBytes(alloc, 12u);
        var result = iommufd.Ioctl(0x3B81, alloc); //~ IOMMU0104
        ioasId = BitConverter.ToUInt32(alloc[8..]);
        return ErrnoExtensions.FromSyscallResult(result);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = RawAlloc.AllocIoas(lab.IommufdFile, out var id);
        return rc != Errno.None ? rc : id == 0 ? Errno.EINVAL : lab.IommufdFile.Destroy(new IoasId(id));
    }
}
