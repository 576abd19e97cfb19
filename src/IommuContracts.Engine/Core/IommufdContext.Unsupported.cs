using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The vIOMMU family, fault queues and MAP_FILE are not modelled. Each still passes the generic size and
// field checks and answers what the kernel answers where no such object can exist (ENOENT for an unknown
// vIOMMU), and EOPNOTSUPP where the kernel would go on to build something.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuViommuAlloc))]
    private Errno ViommuAlloc(ref IommuViommuAlloc alloc)
    {
        if (alloc.Type == IommuViommuType.Default)
        {
            return Errno.EOPNOTSUPP;
        }

        var found = Objects.Get(alloc.DevId, out Device? device);
        if (found != Errno.None)
        {
            return found;
        }

        Objects.Put(device!);
        return Errno.EOPNOTSUPP;
    }

    // No vIOMMU can exist, so every vIOMMU ID is unknown.
    [IoctlHandler(typeof(IommuVdeviceAlloc))]
    private static Errno VdeviceAlloc(ref IommuVdeviceAlloc alloc) => Errno.ENOENT;

    [IoctlHandler(typeof(IommuVeventqAlloc))]
    private static Errno VeventqAlloc(ref IommuVeventqAlloc alloc)
    {
        if (alloc.Type == IommuVeventqType.Default)
        {
            return Errno.EOPNOTSUPP;
        }

        return alloc.VeventqDepth == 0 ? Errno.EINVAL : Errno.ENOENT;
    }

    [IoctlHandler(typeof(IommuHwQueueAlloc))]
    private static Errno HwQueueAlloc(ref IommuHwQueueAlloc alloc)
    {
        if (alloc.Type == IommuHwQueueType.Default)
        {
            return Errno.EOPNOTSUPP;
        }

        if (alloc.Length == 0)
        {
            return Errno.EINVAL;
        }

        return IoPageTable.Overflow.TryLast(alloc.NestingParentIova, alloc.Length, out _) ? Errno.ENOENT : Errno.EOVERFLOW;
    }
}
