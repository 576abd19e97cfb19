namespace IommuContracts.Engine.Host;

/// <summary>An fd of a simulated process seen as an <see cref="IIoctlFile"/>, so generated stubs can drive it.</summary>
public sealed class SimulatedIoctlFile : IIoctlFile
{
    internal SimulatedIoctlFile(SimulatedProcess process, int fd)
    {
        Process = process;
        Fd = fd;
    }

    public SimulatedProcess Process { get; }

    public int Fd { get; }

    public int Ioctl(uint command, Span<byte> argument) => Process.Ioctl(Fd, command, argument);

    public int Ioctl(uint command, ulong value) => Process.Ioctl(Fd, command, value);

    public override string ToString() => $"fd {Fd}";
}
