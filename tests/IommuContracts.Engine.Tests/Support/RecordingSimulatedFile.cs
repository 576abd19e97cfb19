using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// One ioctl as the engine received it: the command, the argument (an address in the simulated process, or
/// the plain value), the struct the engine read there, the struct after the engine answered, and the result.
/// </summary>
internal sealed record SimulatedIoctl(uint Command, ulong Argument, byte[]? Received, byte[]? Response, int Result);

/// <summary>
/// An fd of a simulated process as an <see cref="IIoctlFile"/> that records each call at the engine's side of
/// the syscall: the stub's struct is placed in process memory, and what the engine reads at that address is
/// captured with the same <see cref="ArgumentCapture"/> the real-backend recorder uses.
/// </summary>
internal sealed class RecordingSimulatedFile : IIoctlFile
{
    private readonly SimulatedProcess _process;
    private readonly int _fd;
    private readonly List<SimulatedIoctl> _calls = [];

    public RecordingSimulatedFile(SimulatedProcess process, int fd)
    {
        _process = process;
        _fd = fd;
    }

    public IReadOnlyList<SimulatedIoctl> Calls => _calls;

    public int Fd => _fd;

    public int Ioctl(uint command, Span<byte> argument)
    {
        var length = (ulong)argument.Length;
        var address = _process.Mmap(length);
        Assert.Equal(Errno.None, _process.Write(address, argument));
        var received = ArgumentCapture.Read(_process, address);
        var result = _process.Ioctl(_fd, command, address);
        Assert.Equal(Errno.None, _process.Read(address, argument));
        Assert.Equal(Errno.None, _process.Munmap(address, length));
        _calls.Add(new SimulatedIoctl(command, address, received, argument.ToArray(), result));
        return result;
    }

    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        var length = (ulong)Math.Max(buffer.Length, 1);
        var address = _process.Mmap(length);
        IommuContracts.Ioctl.IoctlArguments.WriteUserPointer(argument, pointerOffset, buffer.IsEmpty ? 0 : address);
        Assert.Equal(Errno.None, _process.Write(address, buffer));
        var result = Ioctl(command, argument);
        Assert.Equal(Errno.None, _process.Read(address, buffer));
        Assert.Equal(Errno.None, _process.Munmap(address, length));
        return result;
    }

    public int Ioctl(uint command, ulong value)
    {
        var result = _process.Ioctl(_fd, command, value);
        _calls.Add(new SimulatedIoctl(command, value, null, null, result));
        return result;
    }
}
