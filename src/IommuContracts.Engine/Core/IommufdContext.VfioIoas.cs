using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOMMU_VFIO_IOAS: which IOAS the VFIO container ioctls use.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuVfioIoas))]
    private Errno VfioIoasOp(ref IommuVfioIoas request, ref IommuContracts.Ioctl.IoctlCall call)
    {
        switch (request.Op)
        {
            case IommuVfioIoasOp.Get:
                var compat = GetCompatIoas(out var ioas);
                if (compat != Errno.None)
                {
                    return compat;
                }

                request.IoasId = ioas!.Id;
                Objects.Put(ioas);
                return call.Respond(in request) != Errno.None ? Errno.EFAULT : Errno.None;
            case IommuVfioIoasOp.Set:
                var found = Objects.Get(request.IoasId, out Ioas? target);
                if (found != Errno.None)
                {
                    return found;
                }

                SetVfioIoas(target);
                Objects.Put(target!);
                return Errno.None;
            case IommuVfioIoasOp.Clear:
                SetVfioIoas(null);
                return Errno.None;
            default:
                return Errno.EOPNOTSUPP;
        }
    }
}
