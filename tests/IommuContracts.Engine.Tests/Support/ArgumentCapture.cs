using System.Buffers.Binary;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// Reads an ioctl argument the way the kernel does: the leading u32 (size or argsz), then that many bytes
/// at the same address. The real-backend recorder and the engine-side recorder both use it, each on its own
/// <see cref="IUserMemory"/>, so what they capture is comparable byte for byte.
/// </summary>
public static class ArgumentCapture
{
    /// <summary>Large enough for every uapi struct; a bigger leading size means the argument is not a struct.</summary>
    private const uint MaximumStructSize = 4096;

    /// <summary>The struct at <paramref name="address"/>, or null when the argument is not a readable struct (a plain value).</summary>
    public static byte[]? Read(IUserMemory memory, ulong address)
    {
        Span<byte> leading = stackalloc byte[sizeof(uint)];
        if (memory.CopyFromUser(address, leading) != Errno.None)
        {
            return null;
        }

        var size = BinaryPrimitives.ReadUInt32LittleEndian(leading);
        if (size < sizeof(uint) || size > MaximumStructSize)
        {
            return null;
        }

        var bytes = new byte[size];
        return memory.CopyFromUser(address, bytes) == Errno.None ? bytes : null;
    }
}
