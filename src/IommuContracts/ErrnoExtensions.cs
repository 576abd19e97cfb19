namespace IommuContracts;

/// <summary>Conversions between <see cref="Errno"/> and the syscall return convention.</summary>
public static class ErrnoExtensions
{
    public static bool IsError(this Errno errno) => errno != Errno.None;

    public static bool IsSuccess(this Errno errno) => errno == Errno.None;

    /// <summary>The value an ioctl returns for this outcome: 0 on success, <c>-errno</c> on failure.</summary>
    public static int ToSyscallResult(this Errno errno) => -(int)errno;

    /// <summary>The errno of a syscall result (<see cref="Errno.None"/> for any non-negative value).</summary>
    public static Errno FromSyscallResult(int result) => result < 0 ? (Errno)(-result) : Errno.None;
}
