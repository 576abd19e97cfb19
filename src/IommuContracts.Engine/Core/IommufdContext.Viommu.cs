using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The vIOMMU family: VIOMMU_ALLOC, VDEVICE_ALLOC, VEVENTQ_ALLOC, HW_QUEUE_ALLOC.
internal sealed partial class IommufdContext
{
    /// <summary>
    /// A vIOMMU on a nesting-parent HWPT: EOPNOTSUPP for the DEFAULT type, a driver without vIOMMUs or a type it
    /// does not implement; ENOENT for the device or a HWPT that is not paging; EINVAL for a parent not
    /// allocated with NEST_PARENT; then the driver's init (the mock's data errors).
    /// </summary>
    [IoctlHandler(typeof(IommuViommuAlloc))]
    private Errno ViommuAlloc(ref IommuViommuAlloc alloc, ref IoctlCall call)
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

        try
        {
            // get_viommu_size / viommu_init: only the mock driver has vIOMMUs, of its own type.
            var iommu = device!.Dev.Iommu;
            if (iommu.Driver != IommuDriverKind.Mock || !Drivers.MockViommu.Supports(alloc.Type))
            {
                return Errno.EOPNOTSUPP;
            }

            found = Objects.Get(alloc.HwptId, out HwptPaging? parent);
            if (found != Errno.None)
            {
                return found;
            }

            try
            {
                if (!parent!.NestParent)
                {
                    return Errno.EINVAL;
                }

                var viommu = new Viommu(this, parent, iommu, alloc.Type);
                var allocated = Objects.Allocate(viommu);
                if (allocated != Errno.None)
                {
                    return allocated;
                }

                parent.AddUser();
                var initialized = Drivers.MockViommu.Init(viommu, alloc.DataLen, alloc.DataUptr, call.Memory, out var driver);
                if (initialized != Errno.None)
                {
                    Objects.Abort(viommu);
                    return initialized;
                }

                viommu.Driver = driver;
                alloc.OutViommuId = viommu.Id;
                if (call.Respond(in alloc) != Errno.None)
                {
                    Objects.Abort(viommu);
                    return Errno.EFAULT;
                }

                Objects.Publish(viommu);
                return Errno.None;
            }
            finally
            {
                Objects.Put(parent!);
            }
        }
        finally
        {
            Objects.Put(device!);
        }
    }

    /// <summary>
    /// A device's virtual ID in a vIOMMU: ENOENT for the vIOMMU, the device, or a device being unbound; EINVAL
    /// for a device behind another physical IOMMU; EEXIST if the device has a vDEVICE or the ID is taken.
    /// </summary>
    [IoctlHandler(typeof(IommuVdeviceAlloc))]
    private Errno VdeviceAlloc(ref IommuVdeviceAlloc alloc, ref IoctlCall call)
    {
        var found = Objects.Get(alloc.ViommuId, out Viommu? viommu);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            found = Objects.Get(alloc.DevId, out Device? device);
            if (found != Errno.None)
            {
                return found;
            }

            try
            {
                if (!viommu!.Iommu.IsSameUnit(device!.Dev.Iommu))
                {
                    return Errno.EINVAL;
                }

                lock (device.Group.Lock)
                {
                    if (device.Destroying)
                    {
                        return Errno.ENOENT;
                    }

                    if (device.Vdev is not null)
                    {
                        return Errno.EEXIST;
                    }

                    var vdev = new Vdevice(this, viommu, device, alloc.VirtId);
                    var allocated = Objects.Allocate(vdev);
                    if (allocated != Errno.None)
                    {
                        return allocated;
                    }

                    viommu.AddUser();
                    device.Vdev = vdev;
                    var added = viommu.AddVdevice(vdev);
                    if (added != Errno.None)
                    {
                        Objects.Abort(vdev);
                        return added;
                    }

                    alloc.OutVdeviceId = vdev.Id;
                    if (call.Respond(in alloc) != Errno.None)
                    {
                        Objects.Abort(vdev);
                        return Errno.EFAULT;
                    }

                    Objects.Publish(vdev);
                    return Errno.None;
                }
            }
            finally
            {
                Objects.Put(device!);
            }
        }
        finally
        {
            Objects.Put(viommu!);
        }
    }

    /// <summary>
    /// A vIOMMU event queue and its fd: EOPNOTSUPP for the DEFAULT type, EINVAL for depth 0, ENOENT for the
    /// vIOMMU, EEXIST if it has a queue of that type; then as FAULT_QUEUE_ALLOC.
    /// </summary>
    [IoctlHandler(typeof(IommuVeventqAlloc))]
    private Errno VeventqAlloc(ref IommuVeventqAlloc alloc, ref IoctlCall call)
    {
        if (alloc.Type == IommuVeventqType.Default)
        {
            return Errno.EOPNOTSUPP;
        }

        if (alloc.VeventqDepth == 0)
        {
            return Errno.EINVAL;
        }

        var found = Objects.Get(alloc.ViommuId, out Viommu? viommu);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            lock (viommu!.VeventqLock)
            {
                if (viommu.FindVeventq(alloc.Type) is not null)
                {
                    return Errno.EEXIST;
                }

                var queue = new Veventq(this, viommu, alloc.Type, alloc.VeventqDepth);
                var allocated = Objects.Allocate(queue);
                if (allocated != Errno.None)
                {
                    return allocated;
                }

                viommu.AddUser();
                viommu.AddVeventq(queue);
                var caller = Caller(ref call);
                var opened = queue.OpenFile(caller, out var fd);
                if (opened != Errno.None)
                {
                    Objects.Abort(queue);
                    return opened;
                }

                alloc.OutVeventqId = queue.Id;
                alloc.OutVeventqFd = fd;
                if (call.Respond(in alloc) != Errno.None)
                {
                    queue.DiscardFile(caller, fd);
                    Objects.Abort(queue);
                    return Errno.EFAULT;
                }

                Objects.Publish(queue);
                queue.InstallFile(caller, fd);
                return Errno.None;
            }
        }
        finally
        {
            Objects.Put(viommu!);
        }
    }

    /// <summary>
    /// A HW queue: EOPNOTSUPP for the DEFAULT type or one the vIOMMU's driver lacks, EINVAL for length 0,
    /// EOVERFLOW for a range past 2^64, ENOENT for the vIOMMU; then its memory is pinned through an internal
    /// access (ENOENT for unmapped IOVA, EFAULT when not physically contiguous, ERANGE), then the driver's
    /// init (the mock's index rules).
    /// </summary>
    [IoctlHandler(typeof(IommuHwQueueAlloc))]
    private Errno HwQueueAlloc(ref IommuHwQueueAlloc alloc, ref IoctlCall call)
    {
        if (alloc.Type == IommuHwQueueType.Default)
        {
            return Errno.EOPNOTSUPP;
        }

        if (alloc.Length == 0)
        {
            return Errno.EINVAL;
        }

        if (!IoPageTable.Overflow.TryLast(alloc.NestingParentIova, alloc.Length, out _))
        {
            return Errno.EOVERFLOW;
        }

        var found = Objects.Get(alloc.ViommuId, out Viommu? viommu);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            // get_hw_queue_size: the mock implements its own type only.
            if (viommu!.Driver is not { } driver || alloc.Type != IommuHwQueueType.Selftest)
            {
                return Errno.EOPNOTSUPP;
            }

            var queue = new HwQueue(this);
            var allocated = Objects.Allocate(queue);
            if (allocated != Errno.None)
            {
                return allocated;
            }

            var pinned = PinHwQueue(viommu, alloc.NestingParentIova, alloc.Length, queue);
            if (pinned != Errno.None)
            {
                Objects.Abort(queue);
                return pinned;
            }

            queue.Viommu = viommu;
            viommu.AddUser();
            queue.Type = alloc.Type;
            queue.Length = alloc.Length;
            queue.BaseAddress = alloc.NestingParentIova;
            var initialized = driver.InitHwQueue(queue, alloc.Index);
            if (initialized != Errno.None)
            {
                Objects.Abort(queue);
                return initialized;
            }

            alloc.OutHwQueueId = queue.Id;
            if (call.Respond(in alloc) != Errno.None)
            {
                Objects.Abort(queue);
                return Errno.EFAULT;
            }

            Objects.Publish(queue);
            return Errno.None;
        }
        finally
        {
            Objects.Put(viommu!);
        }
    }

    // iommufd_hw_queue_alloc_phys: an internal access on the parent's IOAS pins the page-aligned range
    // (locking its areas); the pages must be physically contiguous.
    private Errno PinHwQueue(Viommu viommu, ulong iova, ulong length, HwQueue queue)
    {
        var aligned = iova / SimulatedProcess.PageSize * SimulatedProcess.PageSize;
        var offset = iova - aligned;
        if (!IoPageTable.Overflow.TryAdd(offset, length, out var span) || !IoPageTable.Overflow.TryAdd(span, SimulatedProcess.PageSize - 1, out span))
        {
            return Errno.ERANGE;
        }

        span = span / SimulatedProcess.PageSize * SimulatedProcess.PageSize;

        // The page array (kvcalloc).
        var pagesArray = Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
        if (pagesArray != Errno.None)
        {
            return pagesArray;
        }

        // iommufd_access_create_internal: published at once, with its creator's user.
        var access = new Access(this);
        var created = Objects.Allocate(access);
        if (created != Errno.None)
        {
            return created;
        }

        access.AddUser();
        Objects.Publish(access);
        var pages = new List<UserPage>();
        Errno result;
        lock (access.IoasLock)
        {
            result = access.ChangeIoas(viommu.Hwpt.Ioas);
            if (result == Errno.None)
            {
                result = viommu.Hwpt.Ioas.Iopt.AccessPin(aligned, aligned + span - 1, write: false, pages, lockAreas: true);
                if (result == Errno.None && !Contiguous(pages))
                {
                    viommu.Hwpt.Ioas.Iopt.AccessUnpin(aligned, aligned + span - 1, unlockAreas: true);
                    result = Errno.EFAULT;
                }

                if (result != Errno.None && access.ChangeIoas(null) != Errno.None)
                {
                    Kernel.Log.Warn($"{access}: detach of a failed HW queue access failed");
                }
            }
        }

        if (result != Errno.None)
        {
            Objects.RemoveOwned(access);
            return result;
        }

        queue.Access = access;
        queue.Pages = pages.ToArray();
        queue.BasePhysical = pages[0].PhysicalAddress + offset;
        return Errno.None;
    }

    private static bool Contiguous(List<UserPage> pages)
    {
        for (var i = 1; i < pages.Count; i++)
        {
            if (pages[i].Pfn != pages[i - 1].Pfn + 1)
            {
                return false;
            }
        }

        return true;
    }
}
