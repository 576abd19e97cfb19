using IommuContracts;

namespace Passthrough;

/// <summary>A flat 64 KiB "user memory" for this early sample; addresses outside it fault like unmapped memory.</summary>
internal sealed class ByteMemory : IUserMemory
{
    public const ulong Base = 0x1_0000;
    private readonly byte[] _bytes = new byte[0x1_0000];

    public Errno CopyFromUser(ulong address, Span<byte> destination)
    {
        if (!Contains(address, destination.Length))
        {
            return Errno.EFAULT;
        }

        _bytes.AsSpan((int)(address - Base), destination.Length).CopyTo(destination);
        return Errno.None;
    }

    public Errno CopyToUser(ulong address, ReadOnlySpan<byte> source)
    {
        if (!Contains(address, source.Length))
        {
            return Errno.EFAULT;
        }

        source.CopyTo(_bytes.AsSpan((int)(address - Base), source.Length));
        return Errno.None;
    }

    private static bool Contains(ulong address, int length) => address >= Base && address + (ulong)length <= Base + 0x1_0000;
}
