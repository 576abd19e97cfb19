using IommuContracts.Analyzers.Tests.Twins;
using IommuContracts.Contracts;
using IommuContracts.Engine.Host;

namespace IommuContracts.Analyzers.Tests.Shapes.LinuxStandIn;

/// <summary>
/// Stand-in for IommuContracts.Linux.LinuxIoctlFile with the same public surface, backed by the process of
/// <see cref="TwinLab.Current"/>. A shape that drives the real backend is analysed as written and run with
/// its <c>using IommuContracts.Linux;</c> pointed here, so the same code runs on the engine, which answers
/// every ioctl with the kernel's errno.
/// </summary>
public abstract class LinuxIoctlFile : IIoctlFile, IDisposable
{
    /// <summary>As the real backend: what opening answers where the backend is unsupported.</summary>
    public const Errno UnsupportedPlatformErrno = Errno.ENOSYS;

    private readonly SimulatedProcess _process;
    private readonly int _number;

    private protected LinuxIoctlFile(SimulatedProcess process, int number)
    {
        _process = process;
        _number = number;
    }

    /// <summary>Always true: the engine stands in for a supported Linux host.</summary>
    public static bool IsSupported => true;

    /// <summary>The fd number in the lab's process; -1 once closed.</summary>
    public int Fd => IsClosed ? -1 : _number;

    /// <summary>True once <see cref="Dispose"/> ran; every later ioctl is EBADF.</summary>
    public bool IsClosed { get; private set; }

    /// <inheritdoc />
    [RawIoctl]
    public int Ioctl(uint command, Span<byte> argument) => IsClosed ? Errno.EBADF.ToSyscallResult() : _process.Ioctl(_number, command, argument);

    /// <inheritdoc />
    [RawIoctl]
    public int Ioctl(uint command, ulong value) => IsClosed ? Errno.EBADF.ToSyscallResult() : _process.Ioctl(_number, command, value);

    /// <inheritdoc />
    [RawIoctl]
    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
        => IsClosed ? Errno.EBADF.ToSyscallResult() : _process.File(_number).Ioctl(command, argument, pointerOffset, buffer);

    /// <summary>Closes the fd (closing a VFIO device fd unbinds it, as in the kernel); closing again does nothing.</summary>
    public void Dispose()
    {
        if (!IsClosed)
        {
            IsClosed = true;
            _ = _process.Close(_number);
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => IsClosed ? "closed fd" : $"fd {Fd}";

    private protected static TwinLab Lab => TwinLab.Current ?? throw new InvalidOperationException("the Linux stand-in runs only inside a lab run (TwinLab.MakeCurrent)");
}
