namespace IommuContracts;

/// <summary>
/// Linux error numbers (x86-64 / arm64 / riscv values). Ioctls return <c>-errno</c> on failure; kAPI calls
/// return the positive value, <see cref="None"/> on success.
/// </summary>
public enum Errno
{
    /// <summary>Success: no error.</summary>
    None = 0,
    /// <summary>Operation not permitted; iommufd: the caller lacks a capability the request needs (CAP_SYS_RESOURCE, CAP_IPC_LOCK) or would allow unsafe interrupts.</summary>
    EPERM = 1,
    /// <summary>No such object; iommufd: the ID names no live object of the kind the command wants, or an unmap found nothing mapped.</summary>
    ENOENT = 2,
    /// <summary>No such process.</summary>
    ESRCH = 3,
    /// <summary>The call was interrupted by a signal.</summary>
    EINTR = 4,
    /// <summary>Input/output error; a device could not complete the access.</summary>
    EIO = 5,
    /// <summary>No such device or address; iommufd: an mmap offset that names no region.</summary>
    ENXIO = 6,
    /// <summary>Argument too large; iommufd: the struct passed is longer than the kernel knows and its unknown tail is not zero.</summary>
    E2BIG = 7,
    /// <summary>Bad file descriptor: the fd is not open (or not of the kind the call needs).</summary>
    EBADF = 9,
    /// <summary>Resource temporarily unavailable; try again.</summary>
    EAGAIN = 11,
    /// <summary>Out of memory; iommufd also answers this when pinning would exceed RLIMIT_MEMLOCK.</summary>
    ENOMEM = 12,
    /// <summary>Permission denied.</summary>
    EACCES = 13,
    /// <summary>Bad address: a user pointer points at memory that is not mapped or not accessible.</summary>
    EFAULT = 14,
    /// <summary>Device or resource busy; iommufd: the object is still in use (has users, is attached, is already bound).</summary>
    EBUSY = 16,
    /// <summary>Already exists; iommufd: the fixed IOVA range is already mapped.</summary>
    EEXIST = 17,
    /// <summary>No such device; the device is gone or offers no such function.</summary>
    ENODEV = 19,
    /// <summary>Not a directory.</summary>
    ENOTDIR = 20,
    /// <summary>Is a directory.</summary>
    EISDIR = 21,
    /// <summary>Invalid argument: a field has a value the command does not accept.</summary>
    EINVAL = 22,
    /// <summary>Too many open files: the process's fd table is full.</summary>
    EMFILE = 24,
    /// <summary>Inappropriate ioctl: the command number is unknown to this file.</summary>
    ENOTTY = 25,
    /// <summary>No space left; iommufd: no free IOVA range large enough for a kernel-chosen map.</summary>
    ENOSPC = 28,
    /// <summary>Illegal seek; iommufd fault and event queue fds do not support seeking.</summary>
    ESPIPE = 29,
    /// <summary>Result out of range.</summary>
    ERANGE = 34,
    /// <summary>EDEADLK; the kernel spells it EDEADLOCK in iommufd.</summary>
    EDEADLOCK = 35,
    /// <summary>Function not implemented; also what the Linux backend answers on a platform without the syscall.</summary>
    ENOSYS = 38,
    /// <summary>Invalid exchange; the selftest mock answers it when pinned pages are not the memory the test expected.</summary>
    EBADE = 52,
    /// <summary>Value too large for its type; iommufd: an IOVA or address range that wraps past the end of the address space.</summary>
    EOVERFLOW = 75,
    /// <summary>File descriptor in bad state; iommufd: the file passed is not an iommufd (or not the kind of file the call needs).</summary>
    EBADFD = 77,
    /// <summary>Message too long; iommufd: the caller's array is too small for the result (IOMMU_IOAS_IOVA_RANGES reports the count needed).</summary>
    EMSGSIZE = 90,
    /// <summary>Operation not supported; iommufd: an unknown flag, a non-zero reserved field, or a feature the driver lacks.</summary>
    EOPNOTSUPP = 95,
    /// <summary>Address already in use; iommufd: a reserved IOVA range collides with a mapping or an allowed range, or existing mappings do not meet a new alignment.</summary>
    EADDRINUSE = 98,
    /// <summary>Timed out.</summary>
    ETIMEDOUT = 110,
}
