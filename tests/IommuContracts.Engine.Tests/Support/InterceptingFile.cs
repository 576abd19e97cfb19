using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// An <see cref="IIoctlFile"/> that forwards to another and counts the calls of the helpers' commands, running a
/// hook after each IOMMU_IOAS_IOVA_RANGES: how a test makes the kernel's answer change between two calls.
/// </summary>
internal sealed class InterceptingFile : IIoctlFile
{
    private readonly IIoctlFile _inner;

    public InterceptingFile(IIoctlFile inner) => _inner = inner;

    /// <summary>Runs after the n-th IOMMU_IOAS_IOVA_RANGES (1-based) returned.</summary>
    public Action<int>? AfterIovaRanges { get; set; }

    public int IovaRangesCalls { get; private set; }

    /// <summary>Every command issued, in order.</summary>
    public List<uint> Commands { get; } = [];

    public int Fd => _inner.Fd;

    public int Ioctl(uint command, Span<byte> argument)
    {
        Commands.Add(command);
        return _inner.Ioctl(command, argument);
    }

    public int Ioctl(uint command, ulong value)
    {
        Commands.Add(command);
        return _inner.Ioctl(command, value);
    }

    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        Commands.Add(command);
        var result = _inner.Ioctl(command, argument, pointerOffset, buffer);
        if (command == IommuIoasIovaRanges.Command)
        {
            AfterIovaRanges?.Invoke(++IovaRangesCalls);
        }

        return result;
    }
}
