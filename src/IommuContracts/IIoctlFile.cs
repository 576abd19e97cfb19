namespace IommuContracts;

/// <summary>
/// An open file that accepts ioctls: a real <c>/dev/iommu</c> or VFIO device node, or a simulated one.
/// Both methods return what the syscall returns: a non-negative value on success, <c>-errno</c> on failure.
/// </summary>
public interface IIoctlFile
{
    /// <summary>An ioctl whose argument points at a struct. The kernel reads and updates <paramref name="argument"/> in place.</summary>
    int Ioctl(uint command, Span<byte> argument);

    /// <summary>An ioctl whose argument is a plain integer (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU, ...).</summary>
    int Ioctl(uint command, ulong value);
}
