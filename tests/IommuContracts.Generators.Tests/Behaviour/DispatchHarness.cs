using System.Buffers.Binary;
using IommuContracts;
using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>A recording dispatcher over test memory, driven exactly as the syscall would be.</summary>
public sealed class DispatchHarness
{
    public TestUserMemory Memory { get; } = new();

    public RecordingDispatcher Dispatcher { get; } = new();

    public int Ioctl(uint command, ulong argument) => Dispatcher.Dispatch(Memory, command, argument);

    /// <summary>Places <paramref name="bytes"/> at the end of a fresh mapping followed by an unmapped page, and returns its address.</summary>
    public ulong Place(byte[] bytes)
    {
        var pages = (bytes.Length + TestUserMemory.PageSize - 1) / TestUserMemory.PageSize;
        var mapping = Memory.Map(Math.Max(1, pages) * TestUserMemory.PageSize);
        var address = mapping + (ulong)(Math.Max(1, pages) * TestUserMemory.PageSize - bytes.Length);
        Memory.Write(address, bytes);
        return address;
    }

    /// <summary>A zeroed struct of <paramref name="length"/> bytes whose leading u32 is <paramref name="size"/>.</summary>
    public static byte[] Struct(int length, uint size)
    {
        var bytes = new byte[length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, size);
        return bytes;
    }
}
