using System.Buffers.Binary;

namespace IommuContracts.Engine.Host;

/// <summary>
/// A caller's memory as an older kernel reads one ioctl argument: the leading size field (<c>argsz</c>) reads as
/// at most <see cref="KernelSize"/>, so the generated copy-in takes only the struct that kernel knew and never
/// looks at the bytes after it. Everything else is the caller's memory as it is.
/// </summary>
internal sealed class ArgumentSizeView : IUserMemory
{
    public ArgumentSizeView(SimulatedProcess process, ulong argument, uint kernelSize)
    {
        Process = process;
        Argument = argument;
        KernelSize = kernelSize;
    }

    /// <summary>The process whose memory this is.</summary>
    public SimulatedProcess Process { get; }

    /// <summary>The ioctl's argument address (where the size field is).</summary>
    public ulong Argument { get; }

    /// <summary>The size of the struct in the kernel being modelled.</summary>
    public uint KernelSize { get; }

    /// <summary>The process behind <paramref name="memory"/>: the caller itself, or the caller seen through a view.</summary>
    public static SimulatedProcess ProcessOf(IUserMemory memory)
        => memory as SimulatedProcess ?? ((ArgumentSizeView)memory).Process;

    public Errno CopyFromUser(ulong address, Span<byte> destination)
    {
        var read = ((IUserMemory)Process).CopyFromUser(address, destination);
        if (read != Errno.None || address > Argument || Argument + sizeof(uint) > address + (ulong)destination.Length)
        {
            return read;
        }

        var field = destination.Slice((int)(Argument - address), sizeof(uint));
        var size = BinaryPrimitives.ReadUInt32LittleEndian(field);
        BinaryPrimitives.WriteUInt32LittleEndian(field, Math.Min(size, KernelSize));
        return read;
    }

    public Errno CopyToUser(ulong address, ReadOnlySpan<byte> source) => ((IUserMemory)Process).CopyToUser(address, source);
}
