// Shape: IOMMU_DESTROY issued through SimulatedProcess.Ioctl with a literal number and an argument in process memory
// From: C-style VMM code ported line by line (ioctl(iommufd, IOMMU_DESTROY, &destroy))
// Label: BUG
// Runtime: command

public static class RawDestroy
{
    public static Errno Destroy(SimulatedProcess process, int iommufd, uint id)
    {
        var argument = process.Mmap(0x1000);
        Span<byte> destroy = stackalloc byte[8];
        BitConverter.TryWriteBytes(destroy, 8u);
        BitConverter.TryWriteBytes(destroy[4..], id);
        var rc = process.Write(argument, destroy);
        if (rc != Errno.None)
        {
            return rc;
        }

        return ErrnoExtensions.FromSyscallResult(process.Ioctl(iommufd, 0x3B80, argument)); //~ IOMMU0104
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
        return rc != Errno.None ? rc : RawDestroy.Destroy(lab.Process, lab.Fd, ioas.Value);
    }
}
