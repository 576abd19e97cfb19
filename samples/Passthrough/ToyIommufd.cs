using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace Passthrough;

/// <summary>
/// A deliberately tiny stand-in for /dev/iommu: three handlers behind a generated dispatch table. The
/// generated code does the size checks, E2BIG, reserved/flags checks and copy-back; the handlers only
/// implement behaviour. (The real simulated kernel is src/IommuContracts.Engine.)
/// </summary>
[IoctlDispatcher]
internal sealed partial class ToyIommufd : IIoctlFile
{
    private readonly ByteMemory _memory = new();
    private readonly HashSet<uint> _ioas = new();
    private uint _nextId = 1;

    public int Ioctl(uint command, Span<byte> argument)
    {
        // Like the syscall: the struct lives in user memory while the "kernel" works on it.
        _memory.CopyToUser(ByteMemory.Base, argument);
        var result = Dispatch(_memory, command, ByteMemory.Base);
        _memory.CopyFromUser(ByteMemory.Base, argument);
        return result;
    }

    public int Ioctl(uint command, ulong value) => Dispatch(_memory, command, value);

    [IoctlHandler(typeof(IommuIoasAlloc))]
    private Errno IoasAlloc(ref IommuIoasAlloc alloc)
    {
        alloc.OutIoasId = new IoasId(_nextId);
        _ioas.Add(_nextId++);
        return Errno.None;
    }

    [IoctlHandler(typeof(IommuIoasMap))]
    private Errno IoasMap(ref IommuIoasMap map)
    {
        if (!_ioas.Contains(map.IoasId.Value))
        {
            return Errno.ENOENT;
        }

        if ((map.Flags & IommuIoasMapFlags.FixedIova) == 0)
        {
            map.Iova = 0x1000;
        }

        return Errno.None;
    }

    [IoctlHandler(typeof(IommuDestroy))]
    private Errno Destroy(ref IommuDestroy destroy) => _ioas.Remove(destroy.Id.Value) ? Errno.None : Errno.ENOENT;
}
