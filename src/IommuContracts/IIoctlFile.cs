using IommuContracts.Contracts;

namespace IommuContracts;

/// <summary>
/// An open file that accepts ioctls: a real <c>/dev/iommu</c> or VFIO device node, or a simulated one.
/// The ioctl methods return what the syscall returns: a non-negative value on success, <c>-errno</c> on failure.
/// A VFIO device file starts Opened and becomes Bound with VFIO_DEVICE_BIND_IOMMUFD; the stubs of its other
/// ioctls require Bound (IOMMU0101).
/// </summary>
/// <remarks>
/// Implementations that own their fd (<c>LinuxIommufdFile</c>, <c>LinuxVfioDeviceFile</c>, the engine's
/// <c>SimulatedIoctlFile</c>) are <see cref="IDisposable"/>: disposing closes the fd.
/// </remarks>
[Typestate("Opened", "Bound")]
public interface IIoctlFile
{
    /// <summary>
    /// The fd number, for ioctls that take one (VFIO_DEVICE_BIND_IOMMUFD's iommufd); -1 once the file is closed.
    /// The number is only meaningful while the file stays open.
    /// </summary>
    int Fd { get; }

    /// <summary>An ioctl whose argument points at a struct. The kernel reads and updates <paramref name="argument"/> in place.</summary>
    [RawIoctl]
    int Ioctl(uint command, Span<byte> argument);

    /// <summary>An ioctl whose argument is a plain integer (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU, ...).</summary>
    [RawIoctl]
    int Ioctl(uint command, ulong value);

    /// <summary>
    /// An ioctl whose struct holds a user pointer to a second buffer the kernel reads or writes during the call
    /// (IOMMU_IOAS_IOVA_RANGES' ranges, IOMMU_GET_HW_INFO's data, IOMMU_HWPT_GET_DIRTY_BITMAP's bitmap). The file
    /// places <paramref name="buffer"/> at an address of the process the kernel works on, stores that address as a
    /// little-endian u64 at <paramref name="pointerOffset"/> of <paramref name="argument"/> (0 for an empty
    /// buffer), issues the ioctl, and leaves in <paramref name="buffer"/> what the kernel left at that address.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The pointer does not fit inside <paramref name="argument"/>.</exception>
    [RawIoctl]
    int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer);
}
