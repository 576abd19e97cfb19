using IommuContracts.Ioctl;

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
    /// <remarks>The buffer lives in a fresh mapping of the host for the call, as user memory the kernel can write.</remarks>
    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            IoctlArguments.WriteUserPointer(argument, pointerOffset, 0);
            return Ioctl(command, argument);
        }

        var length = (ulong)buffer.Length;
        var address = Host.Mmap(length);
        try
        {
            IoctlArguments.WriteUserPointer(argument, pointerOffset, address);
            var copiedIn = Host.Write(address, buffer);
            if (copiedIn != Errno.None)
            {
                return copiedIn.ToSyscallResult();
            }

            var result = Ioctl(command, argument);
            var copiedOut = Host.Read(address, buffer);
            return copiedOut != Errno.None ? copiedOut.ToSyscallResult() : result;
        }
        finally
        {
            Host.Munmap(address, length);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"fd {Fd} of {Host.Name}";
}
