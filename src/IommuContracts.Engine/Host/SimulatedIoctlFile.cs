using IommuContracts.Ioctl;

namespace IommuContracts.Engine.Host;

/// <summary>
/// An fd of a simulated process seen as an <see cref="IIoctlFile"/>, so generated stubs can drive it. It owns the
/// fd: disposing it closes the fd in the process, like close(2) (and like disposing a <c>LinuxIoctlFile</c>).
/// </summary>
public sealed class SimulatedIoctlFile : IIoctlFile, IDisposable
{
    private readonly int _fd;
    private readonly OpenFile? _file;
    private int _closed;

    internal SimulatedIoctlFile(SimulatedProcess process, int fd, OpenFile? file)
    {
        Process = process;
        _fd = fd;
        _file = file;
    }

    /// <summary>The process whose fd table holds the fd, and whose memory the kernel reads and writes.</summary>
    public SimulatedProcess Process { get; }

    /// <inheritdoc />
    public int Fd => IsClosed ? -1 : _fd;

    /// <summary>True once <see cref="Dispose"/> ran; every later ioctl is EBADF.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <inheritdoc />
    [Contracts.RawIoctl]
    public int Ioctl(uint command, Span<byte> argument)
        => IsClosed ? Errno.EBADF.ToSyscallResult() : Process.Ioctl(_fd, command, argument);

    /// <inheritdoc />
    [Contracts.RawIoctl]
    public int Ioctl(uint command, ulong value)
        => IsClosed ? Errno.EBADF.ToSyscallResult() : Process.Ioctl(_fd, command, value);

    /// <inheritdoc />
    /// <remarks>
    /// The buffer is copied into a fresh mapping of the process for the call and back afterwards, so the kernel
    /// works on process memory exactly as it does on a real user pointer (page faults, EFAULT).
    /// </remarks>
    [Contracts.RawIoctl]
    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            IoctlArguments.WriteUserPointer(argument, pointerOffset, 0);
            return Ioctl(command, argument);
        }

        var length = (ulong)buffer.Length;
        var address = Process.Mmap(length);
        try
        {
            IoctlArguments.WriteUserPointer(argument, pointerOffset, address);
            var copiedIn = Process.Write(address, buffer);
            if (copiedIn != Errno.None)
            {
                return copiedIn.ToSyscallResult();
            }

            var result = Ioctl(command, argument);
            var copiedOut = Process.Read(address, buffer);
            return copiedOut != Errno.None ? copiedOut.ToSyscallResult() : result;
        }
        finally
        {
            Process.Munmap(address, length);
        }
    }

    /// <summary>
    /// close(2) on the fd, once: disposing again does nothing, and an fd number that meanwhile names another
    /// file (closed through <see cref="SimulatedProcess.Close(int)"/> and reused) is left alone.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0 && _file is not null)
        {
            Process.CloseIfStill(_fd, _file);
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsClosed ? "closed fd" : $"fd {_fd}";
}
