// Shape: a VMM keeps the real /dev/iommu in a field and allocates its IOAS through the raw Ioctl with a literal number
// From: QEMU backends/iommufd.c iommufd_backend_alloc_ioas (ioctl(fd, IOMMU_IOAS_ALLOC, &alloc_data)) ported verbatim
// Label: BUG
// Runtime: command
using IommuContracts.Linux;

public sealed class RawBackend : IDisposable
{
    private readonly LinuxIommufdFile _fd;

    public RawBackend(LinuxIommufdFile fd) => _fd = fd;

    public Errno AllocIoas(out uint ioasId)
    {
        Span<byte> alloc = stackalloc byte[12];
        BitConverter.TryWriteBytes(alloc, 12u);
        var result = _fd.Ioctl(0x3B81, alloc); //~ IOMMU0104
        ioasId = BitConverter.ToUInt32(alloc[8..]);
        return ErrnoExtensions.FromSyscallResult(result);
    }

    public void Dispose() => _fd.Dispose();
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None) return rc;
        using var backend = new RawBackend(iommufd!);
        rc = backend.AllocIoas(out var id);
        return rc != Errno.None ? rc : id == 0 ? Errno.EINVAL : Errno.None;
    }
}
