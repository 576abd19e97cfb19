using System.Runtime.InteropServices;
using IommuContracts.Ioctl;

namespace IommuContracts.Linux;

/// <summary>
/// An owned Linux fd. Every ioctl holds a reference on the handle for its duration, so a concurrent close
/// waits for it, and an ioctl after close is EBADF without reaching the kernel: the number may already name
/// another file this process opened since.
/// </summary>
/// <remarks>
/// SafeHandle alone still hands out references after Dispose while an earlier reference is held (it marks the
/// handle closed only when the count drops to zero), so close is recorded here first and checked after AddRef.
/// </remarks>
internal sealed class LinuxFileDescriptor : SafeHandle
{
    /// <summary>O_RDWR | O_CLOEXEC (generic Linux values: 2 and 02000000).</summary>
    internal const int OpenFlags = 0x2 | 0x80000;

    private readonly ILinuxSyscalls _syscalls;
    private volatile bool _closeRequested;

    private LinuxFileDescriptor(ILinuxSyscalls syscalls, int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        _syscalls = syscalls;
        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The fd number; meaningful only until <see cref="IsCloseRequested"/>.</summary>
    public int Number => (int)handle;

    /// <summary>True once Dispose ran, even while an ioctl in flight still holds the fd open.</summary>
    public bool IsCloseRequested => _closeRequested || IsClosed;

    public static Errno Open(ILinuxSyscalls syscalls, string path, out LinuxFileDescriptor? descriptor)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = syscalls.Open(path, OpenFlags);
        if (result < 0)
        {
            descriptor = null;
            return ErrnoExtensions.FromSyscallResult(result);
        }

        descriptor = new LinuxFileDescriptor(syscalls, result);
        return Errno.None;
    }

    /// <summary>ioctl with the address of <paramref name="argument"/>, pinned while the kernel reads and writes it.</summary>
    public unsafe int Ioctl(uint command, Span<byte> argument)
    {
        fixed (byte* address = argument)
        {
            return Ioctl(command, (nuint)address);
        }
    }

    /// <summary>
    /// ioctl with a struct that points at a second buffer: both are pinned while the kernel reads and writes them,
    /// so the kernel sees the buffer itself at the address stored in the struct.
    /// </summary>
    public unsafe int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        fixed (byte* data = buffer)
        {
            IoctlArguments.WriteUserPointer(argument, pointerOffset, buffer.IsEmpty ? 0 : (ulong)data);
            return Ioctl(command, argument);
        }
    }

    /// <summary>ioctl with a plain third argument (an integer, or an address the caller keeps valid).</summary>
    public int Ioctl(uint command, nuint argument)
    {
        var referenced = false;
        try
        {
            DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            return Errno.EBADF.ToSyscallResult();
        }

        try
        {
            return _closeRequested ? Errno.EBADF.ToSyscallResult() : _syscalls.Ioctl(Number, command, argument);
        }
        finally
        {
            DangerousRelease();
        }
    }

    protected override void Dispose(bool disposing)
    {
        _closeRequested = true;
        base.Dispose(disposing);
    }

    // Linux frees the descriptor even when close reports an error (EINTR, EIO): there is nothing to retry.
    protected override bool ReleaseHandle()
    {
        _syscalls.Close(Number);
        return true;
    }
}
