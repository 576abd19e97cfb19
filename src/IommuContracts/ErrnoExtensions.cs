namespace IommuContracts;

/// <summary>Conversions between <see cref="Errno"/> and the syscall return convention.</summary>
public static class ErrnoExtensions
{
    /// <summary>True for any value other than <see cref="Errno.None"/>.</summary>
    /// <param name="errno">The result to test.</param>
    /// <returns>Whether the call failed.</returns>
    public static bool IsError(this Errno errno) => errno != Errno.None;

    /// <summary>True only for <see cref="Errno.None"/>.</summary>
    /// <param name="errno">The result to test.</param>
    /// <returns>Whether the call succeeded.</returns>
    public static bool IsSuccess(this Errno errno) => errno == Errno.None;

    /// <summary>The value an ioctl returns for this outcome: 0 on success, <c>-errno</c> on failure.</summary>
    public static int ToSyscallResult(this Errno errno) => -(int)errno;

    /// <summary>The errno of a syscall result (<see cref="Errno.None"/> for any non-negative value).</summary>
    public static Errno FromSyscallResult(int result) => result < 0 ? (Errno)(-result) : Errno.None;
}
