using IommuContracts.Contracts;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOMMU_FAULT_QUEUE_ALLOC.
internal sealed partial class IommufdContext
{
    /// <summary>
    /// A fault queue and its fd: the object, then the file and fd (ENOMEM), the response (EFAULT undoes all of
    /// it, the file's release first), then publish and install the fd.
    /// </summary>
    [IoctlHandler(typeof(IommuFaultAlloc))]
    private Errno FaultQueueAlloc(ref IommuFaultAlloc alloc, ref IoctlCall call)
    {
        var caller = Caller(ref call);
        var fault = new FaultQueue(this);
        var allocated = Objects.Allocate(fault);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        var opened = fault.OpenFile(caller, out var fd);
        if (opened != Errno.None)
        {
            Objects.Abort(fault);
            return opened;
        }

        alloc.OutFaultId = fault.Id;
        alloc.OutFaultFd = fd;
        if (call.Respond(in alloc) != Errno.None)
        {
            fault.DiscardFile(caller, fd);
            Objects.Abort(fault);
            return Errno.EFAULT;
        }

        Objects.Publish(fault);
        fault.InstallFile(caller, fd);
        return Errno.None;
    }
}
