using IommuContracts;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>
/// An IIoctlFile that does what the syscall does for the stubs: copies the struct into user memory, runs a
/// generated Dispatch on its address, and copies it back.
/// </summary>
public sealed class LoopbackFile : IIoctlFile
{
    private readonly TestUserMemory _memory;
    private readonly Func<IUserMemory, uint, ulong, int> _dispatch;
    private readonly ulong _scratch;

    public LoopbackFile(TestUserMemory memory, Func<IUserMemory, uint, ulong, int> dispatch)
    {
        _memory = memory;
        _dispatch = dispatch;
        _scratch = memory.Map(TestUserMemory.PageSize);
    }

    public int Ioctl(uint command, Span<byte> argument)
    {
        _memory.Write(_scratch, argument);
        var result = _dispatch(_memory, command, _scratch);
        _memory.Read(_scratch, argument.Length).CopyTo(argument);
        return result;
    }

    public int Ioctl(uint command, ulong value) => _dispatch(_memory, command, value);

    /// <summary>Loopback files have no fd table; stubs that pass an fd number get this one.</summary>
    public int Fd => 3;

    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
    {
        var address = buffer.IsEmpty ? 0 : _memory.Map(buffer.Length);
        IommuContracts.Ioctl.IoctlArguments.WriteUserPointer(argument, pointerOffset, address);
        if (!buffer.IsEmpty)
        {
            _memory.Write(address, buffer);
        }

        var result = Ioctl(command, argument);
        if (!buffer.IsEmpty)
        {
            _memory.Read(address, buffer.Length).CopyTo(buffer);
            for (var page = 0; page < buffer.Length; page += TestUserMemory.PageSize)
            {
                _memory.Unmap(address + (ulong)page);
            }
        }

        return result;
    }
}
