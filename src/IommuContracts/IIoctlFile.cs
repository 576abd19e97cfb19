using IommuContracts.Contracts;

namespace IommuContracts;

/// <summary>
/// An open file that accepts ioctls: a real <c>/dev/iommu</c> or VFIO device node, or a simulated one.
/// Both methods return what the syscall returns: a non-negative value on success, <c>-errno</c> on failure.
/// A VFIO device file starts Opened and becomes Bound with VFIO_DEVICE_BIND_IOMMUFD; the stubs of its other
/// ioctls require Bound (IOMMU0101).
/// </summary>
[Typestate("Opened", "Bound")]
public interface IIoctlFile
{
    /// <summary>An ioctl whose argument points at a struct. The kernel reads and updates <paramref name="argument"/> in place.</summary>
    [RawIoctl]
    int Ioctl(uint command, Span<byte> argument);

    /// <summary>An ioctl whose argument is a plain integer (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU, ...).</summary>
    [RawIoctl]
    int Ioctl(uint command, ulong value);
}
