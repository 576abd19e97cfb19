using System.Buffers.Binary;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// A zero-filled mapping in the simulated process that tests lay out by hand, the way the kernel selftests
/// fill a C struct on the stack: little-endian fields at explicit offsets, then the buffer's address is the
/// ioctl argument. Used for raw-byte ioctls (wrong sizes, trailing bytes, reused command structs).
/// </summary>
public sealed class UserBuffer
{
    public UserBuffer(IProcessHost host, ulong length)
    {
        Process = host;
        Length = length;
        Address = host.Mmap(length);
    }

    /// <summary>The process the buffer lives in.</summary>
    public IProcessHost Process { get; }

    public ulong Address { get; }

    public ulong Length { get; }

    public void Clear() => Fill(0, Length, 0);

    public void Fill(ulong offset, ulong length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        WriteBytes(offset, bytes);
    }

    public void WriteBytes(ulong offset, ReadOnlySpan<byte> bytes)
        => Assert.Equal(Errno.None, Process.Write(Address + offset, bytes));

    public byte[] ReadBytes(ulong offset, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(Errno.None, Process.Read(Address + offset, bytes));
        return bytes;
    }

    public void U8(ulong offset, byte value) => WriteBytes(offset, [value]);

    public void U16(ulong offset, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        WriteBytes(offset, bytes);
    }

    public void U32(ulong offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteBytes(offset, bytes);
    }

    public void U64(ulong offset, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        WriteBytes(offset, bytes);
    }

    public uint U32(ulong offset) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(offset, 4));

    public ulong U64(ulong offset) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(offset, 8));
}
