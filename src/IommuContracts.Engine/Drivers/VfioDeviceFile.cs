using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// An open VFIO device cdev, written as ordinary driver code on the kAPI. Until BIND succeeds every other
/// ioctl is EINVAL; BIND twice is EINVAL; ATTACH when attached is a replace; DETACH when not attached is
/// 0; close detaches and unbinds.
/// </summary>
[IoctlDispatcher]
[DriverManagedDma]
internal sealed partial class VfioDeviceFile : OpenFile
{
    private readonly object _lock = new();
    private IommufdCtx? _ctx;
    private IommufdDevice? _idev;
    private bool _attached;

    public VfioDeviceFile(VfioDeviceNode node) => Node = node;

    public VfioDeviceNode Node { get; }

    public override string Name => Node.Path;

    public bool IsBound => Volatile.Read(ref _idev) is not null;

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Dispatch(caller, command, argument);

    // vfio_main's access_granted check: BIND is dispatched before it.
    [IoctlGate]
    private Errno AccessGranted(uint command) => IsBound || command == VfioDeviceBindIommufd.Command ? Errno.None : Errno.EINVAL;

    [IoctlHandler(typeof(VfioDeviceBindIommufd))]
    private Errno Bind(ref VfioDeviceBindIommufd bind, ref IoctlCall call)
    {
        // No VF token support in this driver.
        if (bind.IommuFd < 0 || (bind.Flags & VfioDeviceBindFlags.Token) != 0)
        {
            return Errno.EINVAL;
        }

        lock (Node.Lock)
        {
            if (IsBound || Node.BoundFile is not null)
            {
                return Errno.EINVAL;
            }

            var found = Iommufd.CtxFromFd((SimulatedProcess)call.Memory, bind.IommuFd, out var ctx);
            if (found != Errno.None)
            {
                return found;
            }

            var bound = Iommufd.DeviceBind(ctx!, Node.Device, out var idev, out var id);
            if (bound != Errno.None)
            {
                Iommufd.CtxPut(ctx!);
                return bound;
            }

            bind.OutDevId = id;
            if (call.Respond(in bind) != Errno.None)
            {
                Iommufd.DeviceUnbind(idev!);
                Iommufd.CtxPut(ctx!);
                return Errno.EFAULT;
            }

            _ctx = ctx;
            Node.BoundFile = this;
            Volatile.Write(ref _idev, idev);
            return Errno.None;
        }
    }

    [IoctlHandler(typeof(VfioDeviceAttachIommufdPt))]
    private Errno AttachPt(ref VfioDeviceAttachIommufdPt attach, ref IoctlCall call)
    {
        if ((attach.Flags & VfioDeviceAttachFlags.Pasid) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        lock (_lock)
        {
            var wasAttached = _attached;
            var result = wasAttached ? Iommufd.DeviceReplace(_idev!, attach.PtId, out var hwpt) : Iommufd.DeviceAttach(_idev!, attach.PtId, out hwpt);
            if (result != Errno.None)
            {
                return result;
            }

            _attached = true;
            attach.PtId = hwpt;
            if (call.Respond(in attach) != Errno.None)
            {
                Iommufd.DeviceDetach(_idev!);
                _attached = false;
                return Errno.EFAULT;
            }

            return Errno.None;
        }
    }

    [IoctlHandler(typeof(VfioDeviceDetachIommufdPt))]
    private Errno DetachPt(ref VfioDeviceDetachIommufdPt detach)
    {
        if ((detach.Flags & VfioDeviceDetachFlags.Pasid) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        lock (_lock)
        {
            if (_attached)
            {
                Iommufd.DeviceDetach(_idev!);
                _attached = false;
            }

            return Errno.None;
        }
    }

    [IoctlHandler(typeof(VfioDeviceSimDma))]
    private Errno SimulatedDma(ref VfioDeviceSimDma dma, ref IoctlCall call)
    {
        if (dma.Length > int.MaxValue)
        {
            return Errno.EINVAL;
        }

        var buffer = new byte[dma.Length];
        var process = (SimulatedProcess)call.Memory;
        if ((dma.Flags & VfioDeviceSimDmaFlags.Write) != 0)
        {
            if (process.Read(dma.UserVa, buffer) != Errno.None)
            {
                return Errno.EFAULT;
            }

            return Node.Device.DmaWrite(dma.Iova, buffer) is null ? Errno.None : Errno.EIO;
        }

        if (Node.Device.DmaRead(dma.Iova, buffer) is not null)
        {
            return Errno.EIO;
        }

        return process.Write(dma.UserVa, buffer) != Errno.None ? Errno.EFAULT : Errno.None;
    }

    // vfio_df_unbind_iommufd on close: detach first if still attached, then unbind, then drop the context.
    protected override void Release()
    {
        lock (Node.Lock)
        {
            if (_idev is not { } idev)
            {
                return;
            }

            if (_attached)
            {
                Iommufd.DeviceDetach(idev);
                _attached = false;
            }

            Iommufd.DeviceUnbind(idev);
            Iommufd.CtxPut(_ctx!);
            Node.BoundFile = null;
            _idev = null;
            _ctx = null;
        }
    }
}
