namespace IommuContracts;

/// <summary>
/// Linux error numbers (x86-64 / arm64 / riscv values). Ioctls return <c>-errno</c> on failure; kAPI calls
/// return the positive value, <see cref="None"/> on success.
/// </summary>
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    ENOTDIR = 20,
    EISDIR = 21,
    EINVAL = 22,
    EMFILE = 24,
    ENOTTY = 25,
    ENOSPC = 28,
    ESPIPE = 29,
    ERANGE = 34,
    /// <summary>EDEADLK; the kernel spells it EDEADLOCK in iommufd.</summary>
    EDEADLOCK = 35,
    ENOSYS = 38,
    EBADE = 52,
    EOVERFLOW = 75,
    EBADFD = 77,
    EMSGSIZE = 90,
    EOPNOTSUPP = 95,
    EADDRINUSE = 98,
    ETIMEDOUT = 110,
}
