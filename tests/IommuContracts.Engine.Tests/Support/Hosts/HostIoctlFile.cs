namespace IommuContracts.Engine.Tests.Support.Hosts;

/// <summary>An fd of an <see cref="IProcessHost"/> as an <see cref="IIoctlFile"/>, so the generated stubs go through the host.</summary>
public sealed class HostIoctlFile : IIoctlFile
{
    /// <summary>The fd <paramref name="fd"/> of <paramref name="host"/>.</summary>
    public HostIoctlFile(IProcessHost host, int fd)
    {
        Host = host;
        Fd = fd;
    }

    /// <summary>The host the ioctls go to.</summary>
    public IProcessHost Host { get; }

    /// <summary>The fd.</summary>
    public int Fd { get; }

    /// <inheritdoc />
    public int Ioctl(uint command, Span<byte> argument) => Host.Ioctl(Fd, command, argument);

    /// <inheritdoc />
    public int Ioctl(uint command, ulong value) => Host.Ioctl(Fd, command, value);

    /// <inheritdoc />
    public override string ToString() => $"fd {Fd} of {Host.Name}";
}
