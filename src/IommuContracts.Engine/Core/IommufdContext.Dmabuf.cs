using IommuContracts.Engine.Drivers;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The selftest's dma-buf exporter ops: a buffer IOAS_MAP_FILE can map, and its revoke.
internal sealed partial class IommufdContext
{
    /// <summary>DMABUF_GET: EINVAL for 0 or more than 512 pages; the ioctl returns the new fd.</summary>
    private Errno TestDmabufGet(ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var created = SelftestDmaBuf.Create(Kernel.PhysicalMemory, cmd.Payload.DmabufGet.Length, out var buffer);
        if (created != Errno.None)
        {
            return created;
        }

        // The private data, the memory and the export each allocate; a failure frees what was made.
        var allocated = Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
        if (allocated != Errno.None)
        {
            buffer!.Put();
            return allocated;
        }

        call.ReturnValue = Caller(ref call).Install(buffer!);
        return Errno.None;
    }

    /// <summary>DMABUF_REVOKE: EBADF for a closed fd, EINVAL for a file that is not a dma-buf, EOPNOTSUPP for another exporter's.</summary>
    private static Errno TestDmabufRevoke(ref IommuTestCmd cmd, ref IoctlCall call)
    {
        if (!Caller(ref call).TryGetFile(cmd.Payload.DmabufRevoke.DmabufFd, out var file))
        {
            return Errno.EBADF;
        }

        try
        {
            return file switch
            {
                SelftestDmaBuf buffer => Revoke(buffer, cmd.Payload.DmabufRevoke.Revoked != 0),
                Host.DmaBufFile => Errno.EOPNOTSUPP,
                _ => Errno.EINVAL,
            };
        }
        finally
        {
            file.Put();
        }

        static Errno Revoke(SelftestDmaBuf buffer, bool revoked)
        {
            buffer.SetRevoked(revoked);
            return Errno.None;
        }
    }
}
