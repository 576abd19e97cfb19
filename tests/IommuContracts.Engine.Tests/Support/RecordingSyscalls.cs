using IommuContracts.Linux;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>One ioctl(2) as the real backend issued it: the fd, the request, the third argument, and the struct it points at.</summary>
internal sealed record RecordedIoctl(int Fd, nuint Request, nuint Argument, byte[]? Bytes);

/// <summary>
/// A stand-in kernel for the Linux backend: open hands out fake fds, ioctl records exactly what ioctl(2)
/// would receive (reading the struct at the real pinned address through <see cref="LinuxProcessMemory"/>)
/// and answers with <see cref="Kernel"/>; memory calls go to the real process.
/// </summary>
internal sealed class RecordingSyscalls : ILinuxSyscalls
{
    private readonly object _lock = new();
    private readonly List<(string Path, int Flags)> _opens = [];
    private readonly List<RecordedIoctl> _ioctls = [];
    private readonly List<int> _closes = [];
    private int _nextFd = 1000;

    /// <summary>What open answers instead of a new fd (e.g. EACCES); <see cref="Errno.None"/> opens.</summary>
    public Errno OpenErrno { get; set; }

    /// <summary>The kernel's side of an ioctl: may write through the argument address; returns the syscall result. Null answers 0.</summary>
    public Func<RecordedIoctl, int>? Kernel { get; set; }

    public IReadOnlyList<(string Path, int Flags)> Opens
    {
        get
        {
            lock (_lock)
            {
                return _opens.ToArray();
            }
        }
    }

    public IReadOnlyList<RecordedIoctl> Ioctls
    {
        get
        {
            lock (_lock)
            {
                return _ioctls.ToArray();
            }
        }
    }

    public IReadOnlyList<int> Closes
    {
        get
        {
            lock (_lock)
            {
                return _closes.ToArray();
            }
        }
    }

    public int Open(string path, int flags)
    {
        lock (_lock)
        {
            _opens.Add((path, flags));
            return OpenErrno == Errno.None ? _nextFd++ : OpenErrno.ToSyscallResult();
        }
    }

    public int Ioctl(int fd, nuint request, nuint argument)
    {
        var call = new RecordedIoctl(fd, request, argument, ArgumentCapture.Read(LinuxProcessMemory.Current, argument));
        lock (_lock)
        {
            _ioctls.Add(call);
        }

        return Kernel?.Invoke(call) ?? 0;
    }

    public int Close(int fd)
    {
        lock (_lock)
        {
            _closes.Add(fd);
        }

        return 0;
    }

    public Errno MapAnonymous(nuint length, out nuint address) => NativeLinuxSyscalls.Instance.MapAnonymous(length, out address);

    public Errno Unmap(nuint address, nuint length) => NativeLinuxSyscalls.Instance.Unmap(address, length);

    public Errno ReadMemory(nuint address, Span<byte> destination) => NativeLinuxSyscalls.Instance.ReadMemory(address, destination);

    public Errno WriteMemory(nuint address, ReadOnlySpan<byte> source) => NativeLinuxSyscalls.Instance.WriteMemory(address, source);
}
