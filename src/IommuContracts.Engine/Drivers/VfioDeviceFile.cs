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
    /// <summary>Bytes one SIM_DMA burst moves.</summary>
    private const ulong DmaBurst = 64 << 10;

    // offsetofend(struct vfio_device_bind_iommufd, out_devid): all a kernel before the VF token reads.
    private const uint BindSizeBeforeToken = 16;

    private readonly object _lock = new();
    private IommufdCtx? _ctx;
    private IommufdDevice? _idev;
    private bool _attached;

    public VfioDeviceFile(VfioDeviceNode node) => Node = node;

    public VfioDeviceNode Node { get; }

    public override string Name => Node.Path;

    public bool IsBound => Volatile.Read(ref _idev) is not null;

    // The attach / detach flags the kernel of this machine knows (PASID since 6.15).
    private ulong AcceptedFlags => Node.Device.Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.VfioDeviceAttach, (ulong)VfioDeviceAttachFlags.Pasid);

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument)
    {
        // Before the VF token, BIND read its struct up to out_devid and nothing after it (no E2BIG for a longer one).
        if (command == VfioDeviceBindIommufd.Command && !Node.Device.Kernel.Profile.Supports(Profiles.KernelFeatures.VfioBindCopyStruct))
        {
            return Dispatch(new ArgumentSizeView(caller, argument, BindSizeBeforeToken), command, argument);
        }

        return Dispatch(caller, command, argument);
    }

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

            var found = Iommufd.CtxFromFd(ArgumentSizeView.ProcessOf(call.Memory), bind.IommuFd, out var ctx);
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
        // Before PASID attach the struct ends at pt_id and every flag is EINVAL.
        if ((attach.Flags & ~(VfioDeviceAttachFlags)AcceptedFlags) != 0)
        {
            return Errno.EINVAL;
        }

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
        if ((detach.Flags & ~(VfioDeviceDetachFlags)AcceptedFlags) != 0)
        {
            return Errno.EINVAL;
        }

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

        // The device moves the data in bursts through one bounded buffer, so a length costs only the bursts
        // that get through: the first IOMMU fault (EIO) or bad user address (EFAULT) ends the transfer.
        var process = (SimulatedProcess)call.Memory;
        var write = (dma.Flags & VfioDeviceSimDmaFlags.Write) != 0;
        var buffer = new byte[(int)Math.Min(dma.Length, DmaBurst)];
        for (ulong done = 0; done < dma.Length;)
        {
            var burst = buffer.AsSpan(0, (int)Math.Min(dma.Length - done, DmaBurst));
            var moved = write
                ? DeviceWrites(process, dma.UserVa + done, dma.Iova + done, burst)
                : DeviceReads(process, dma.Iova + done, dma.UserVa + done, burst);
            if (moved != Errno.None)
            {
                return moved;
            }

            done += (ulong)burst.Length;
        }

        return Errno.None;
    }

    private Errno DeviceWrites(SimulatedProcess process, ulong userVa, ulong iova, Span<byte> burst)
    {
        if (process.Read(userVa, burst) != Errno.None)
        {
            return Errno.EFAULT;
        }

        return Node.Device.DmaWrite(iova, burst) is null ? Errno.None : Errno.EIO;
    }

    private Errno DeviceReads(SimulatedProcess process, ulong iova, ulong userVa, Span<byte> burst)
    {
        if (Node.Device.DmaRead(iova, burst) is not null)
        {
            return Errno.EIO;
        }

        return process.Write(userVa, burst) != Errno.None ? Errno.EFAULT : Errno.None;
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
