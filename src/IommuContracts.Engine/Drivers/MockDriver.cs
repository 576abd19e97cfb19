using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The selftest mock driver behind IOMMU_TEST_CMD's device ops. It goes through the kAPI exactly as the
/// kernel's selftest driver does (selftest object, then bind, then attach), so the same IDs come out:
/// on a fresh fd MOCK_DOMAIN after IOAS_ALLOC gives stdev 2, idev 3 and HWPT 4.
/// </summary>
[IommuContracts.Contracts.DriverManagedDma]
internal static class MockDriver
{
    private const ulong MaxAccessLength = 16UL << 20;

    /// <summary>Bytes of an ACCESS_RW moved per step, so a long request costs only what the access reaches.</summary>
    private const ulong AccessRwChunk = 64 << 10;

    /// <summary>Bytes of a DIRTY bitmap read per step.</summary>
    private const int DirtyBitmapChunk = 4096;
    private const MockDeviceFlags KnownDeviceFlags = MockDeviceFlags.NoDirty | MockDeviceFlags.HugeIova | MockDeviceFlags.Pasid;

    public static Errno Handle(IommufdContext context, ref IommuTestCmd cmd, ref IoctlCall call) => cmd.Op switch
    {
        IommuTestOp.MockDomain or IommuTestOp.MockDomainFlags => MockDomain(context, ref cmd, ref call),
        IommuTestOp.MockDomainReplace => MockDomainReplace(context, ref cmd, ref call),
        IommuTestOp.MdCheckMap => CheckMap(context, ref cmd, (SimulatedProcess)call.Memory),
        IommuTestOp.MdCheckIotlb => CheckIotlb(context, ref cmd),
        IommuTestOp.CreateAccess => CreateAccess(context, ref cmd, ref call),
        IommuTestOp.AccessPages => AccessPages(ref cmd, ref call),
        IommuTestOp.DestroyAccessPages => DestroyAccessPages(ref cmd, (SimulatedProcess)call.Memory),
        IommuTestOp.AccessRw => AccessRw(ref cmd, ref call),
        IommuTestOp.AccessReplaceIoas => AccessReplaceIoas(ref cmd, (SimulatedProcess)call.Memory),
        IommuTestOp.Dirty => Dirty(context, ref cmd, ref call),
        _ => Errno.EOPNOTSUPP,
    };

    private static Errno MockDomain(IommufdContext context, ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var flags = cmd.Op == IommuTestOp.MockDomainFlags ? cmd.Payload.MockDomainFlags.DevFlags : MockDeviceFlags.None;
        var selftest = new SelftestObject(context);
        var allocated = context.Objects.Allocate(selftest);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        var known = (MockDeviceFlags)context.Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.MockDevice, (ulong)KnownDeviceFlags);
        if ((flags & ~known) != 0)
        {
            context.Objects.Abort(selftest);
            return Errno.EINVAL;
        }

        var device = context.Kernel.CreateMockDevice((ulong)flags,
            dirtyTracking: (flags & MockDeviceFlags.NoDirty) == 0,
            hugeIova: (flags & MockDeviceFlags.HugeIova) != 0,
            pasid: (flags & MockDeviceFlags.Pasid) != 0);
        var ctx = IommufdCtx.ForIoctl(context);
        var bound = Iommufd.DeviceBind(ctx, device, out var idev, out var idevId);
        if (bound != Errno.None)
        {
            context.Objects.Abort(selftest);
            return bound;
        }

        var attached = Iommufd.DeviceAttach(idev!, PageTableId.FromObjectId(cmd.Id), out var hwpt);
        if (attached != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            context.Objects.Abort(selftest);
            return attached;
        }

        selftest.MockDevice = device;
        selftest.Idev = idev;
        cmd.Payload.MockDomainFlags.OutHwptId = hwpt;
        cmd.Payload.MockDomainFlags.OutStdevId = selftest.Id;
        cmd.Payload.MockDomainFlags.OutIdevId = idevId;
        if (call.Respond(in cmd) != Errno.None)
        {
            Iommufd.DeviceDetach(idev!);
            Iommufd.DeviceUnbind(idev!);
            selftest.Idev = null;
            context.Objects.Abort(selftest);
            return Errno.EFAULT;
        }

        context.Objects.Publish(selftest);
        return Errno.None;
    }

    private static Errno MockDomainReplace(IommufdContext context, ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var found = context.Objects.Get(SelftestId.FromObjectId(cmd.Id), out SelftestObject? selftest);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var pt = PageTableId.FromObjectId(cmd.Payload.MockDomainReplace.PtId);
            var replaced = Iommufd.DeviceReplace(selftest!.Idev!, pt, out var hwpt);
            if (replaced != Errno.None)
            {
                return replaced;
            }

            cmd.Payload.MockDomainReplace.PtId = hwpt;
            return call.Respond(in cmd) != Errno.None ? Errno.EFAULT : Errno.None;
        }
        finally
        {
            context.Objects.Put(selftest!);
        }
    }

    // MD_CHECK_MAP: every 2048-byte IO page of [iova, iova + length) maps the memory behind uptr.
    private static Errno CheckMap(IommufdContext context, ref IommuTestCmd cmd, SimulatedProcess caller)
    {
        var check = cmd.Payload.CheckMap;
        const ulong IoPage = IommuGeometry.MockIoPageSize;
        if (check.Iova % IoPage != 0 || check.Length % IoPage != 0 || check.Uptr % IoPage != 0
            || !IoPageTable.Overflow.TryAdd(check.Uptr, check.Length, out _))
        {
            return Errno.EINVAL;
        }

        var found = GetMockPaging(context, cmd.Id, out var hwpt);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var page = new UserPage[1];
            for (ulong offset = 0; offset < check.Length; offset += IoPage)
            {
                var uptr = check.Uptr + offset;
                var got = caller.GetUserPages(uptr / SimulatedProcess.PageSize * SimulatedProcess.PageSize, 1, write: false, page);
                if (got != Errno.None)
                {
                    return got;
                }

                var expected = page[0].PhysicalAddress + (uptr % SimulatedProcess.PageSize);
                if (hwpt!.Domain.Translate(check.Iova + offset) is not { } mapped || mapped.Physical != expected)
                {
                    return Errno.EINVAL;
                }
            }

            return Errno.None;
        }
        finally
        {
            context.Objects.Put(hwpt!);
        }
    }

    private static Errno CheckIotlb(IommufdContext context, ref IommuTestCmd cmd)
    {
        var found = context.Objects.Get(HwptId.FromObjectId(cmd.Id), out HwptNested? nested);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var check = cmd.Payload.CheckIotlb;
            lock (nested!.Iotlb)
            {
                return check.Id >= nested.Iotlb.Length || nested.Iotlb[check.Id] != check.Iotlb ? Errno.EINVAL : Errno.None;
            }
        }
        finally
        {
            context.Objects.Put(nested!);
        }
    }

    private static Errno CreateAccess(IommufdContext context, ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var flags = cmd.Payload.CreateAccess.Flags;
        if ((flags & ~MockAccessCreateFlags.NeedsPinPages) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        var caller = (SimulatedProcess)call.Memory;
        var file = new SelftestAccessFile((flags & MockAccessCreateFlags.NeedsPinPages) != 0);
        var fd = caller.ReserveFd();
        var created = Iommufd.AccessCreate(IommufdCtx.ForIoctl(context), file, out var access, out _);
        if (created != Errno.None)
        {
            caller.ReleaseReservedFd(fd);
            return created;
        }

        var attached = Iommufd.AccessAttach(access!, IoasId.FromObjectId(cmd.Id));
        cmd.Payload.CreateAccess.OutAccessFd = fd;
        if (attached != Errno.None || call.Respond(in cmd) != Errno.None)
        {
            Iommufd.AccessDestroy(access!);
            caller.ReleaseReservedFd(fd);
            return attached != Errno.None ? attached : Errno.EFAULT;
        }

        file.Access = access;
        caller.InstallReserved(fd, file);
        return Errno.None;
    }

    private static Errno AccessPages(ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var request = cmd.Payload.AccessPages;
        if (request.Length > MaxAccessLength)
        {
            return Errno.ENOMEM;
        }

        if ((request.Flags & ~(MockAccessFlags.Write | MockAccessFlags.Syz)) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        var caller = (SimulatedProcess)call.Memory;
        if (GetAccessFile(caller, cmd.Id, out var file) is var bad && bad != Errno.None)
        {
            return bad;
        }

        try
        {
            if (!file!.NeedsPinPages)
            {
                return Errno.EOPNOTSUPP;
            }

            var iova = request.Iova;
            var length = request.Length;
            var write = (request.Flags & MockAccessFlags.Write) != 0;
            var result = file.WithLock(() =>
            {
                var pinned = Iommufd.AccessPinPages(file.Access!, iova, length, write, out var pages);
                if (pinned != Errno.None)
                {
                    return (pinned, 0u);
                }

                // The pages must be the ones behind uptr (a NULL uptr skips the check).
                if (request.Uptr != 0)
                {
                    var check = CheckPages(caller, request.Uptr - (iova % SimulatedProcess.PageSize), pages);
                    if (check != Errno.None)
                    {
                        Iommufd.AccessUnpinPages(file.Access!, iova, length);
                        return (check, 0u);
                    }
                }

                return (Errno.None, file.AddItem(iova, length));
            });

            if (result.Item1 != Errno.None)
            {
                return result.Item1;
            }

            cmd.Payload.AccessPages.OutAccessPagesId = result.Item2;
            if (call.Respond(in cmd) != Errno.None)
            {
                file.DestroyItem(result.Item2);
                return Errno.EFAULT;
            }

            return Errno.None;
        }
        finally
        {
            file!.Put();
        }
    }

    private static Errno DestroyAccessPages(ref IommuTestCmd cmd, SimulatedProcess caller)
    {
        if (GetAccessFile(caller, cmd.Id, out var file) is var bad && bad != Errno.None)
        {
            return bad;
        }

        try
        {
            return file!.DestroyItem(cmd.Payload.DestroyAccessPages.AccessPagesId) ? Errno.None : Errno.ENOENT;
        }
        finally
        {
            file!.Put();
        }
    }

    private static Errno AccessRw(ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var request = cmd.Payload.AccessRw;
        if (request.Length > MaxAccessLength)
        {
            return Errno.ENOMEM;
        }

        if (((uint)request.Flags & ~((uint)MockAccessRwFlags.Write | (uint)MockAccessRwFlags.SlowPath | (uint)MockAccessFlags.Syz)) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        var caller = (SimulatedProcess)call.Memory;
        if (GetAccessFile(caller, cmd.Id, out var file) is var bad && bad != Errno.None)
        {
            return bad;
        }

        try
        {
            var write = (request.Flags & MockAccessRwFlags.Write) != 0;
            var flags = write ? AccessRwFlags.Write : AccessRwFlags.Read;
            if ((request.Flags & MockAccessRwFlags.SlowPath) != 0)
            {
                flags |= AccessRwFlags.SlowPath;
            }

            return write
                ? AccessWrite(file!.Access!, caller, request.Iova, request.Uptr, request.Length, flags)
                : AccessRead(file!.Access!, caller, request.Iova, request.Uptr, request.Length, flags);
        }
        finally
        {
            file!.Put();
        }
    }

    // The kernel copies the whole user buffer in first (EFAULT before any access), then writes through the
    // access. Here the buffer is checked first and then moved in bounded chunks.
    private static Errno AccessWrite(IommufdAccess access, SimulatedProcess caller, ulong iova, ulong uptr, ulong length, AccessRwFlags flags)
    {
        if (caller.CheckUserRange(uptr, length, write: false) != Errno.None)
        {
            return Errno.EFAULT;
        }

        var range = CheckAccessRange(iova, length);
        if (range != Errno.None)
        {
            return range;
        }

        var chunk = new byte[(int)Math.Min(length, AccessRwChunk)];
        for (ulong done = 0; done < length;)
        {
            var part = chunk.AsSpan(0, (int)Math.Min(length - done, AccessRwChunk));
            if (caller.Read(uptr + done, part) != Errno.None)
            {
                return Errno.EFAULT;
            }

            var result = Iommufd.AccessRw(access, iova + done, part, flags);
            if (result != Errno.None)
            {
                return result;
            }

            done += (ulong)part.Length;
        }

        return Errno.None;
    }

    // The kernel reads through the access, then copies out (EFAULT only when the access itself succeeded).
    // Chunk by chunk here, so a bad user buffer stops the copying but the access is still read to its end.
    private static Errno AccessRead(IommufdAccess access, SimulatedProcess caller, ulong iova, ulong uptr, ulong length, AccessRwFlags flags)
    {
        var range = CheckAccessRange(iova, length);
        if (range != Errno.None)
        {
            return range;
        }

        var chunk = new byte[(int)Math.Min(length, AccessRwChunk)];
        var userFault = false;
        for (ulong done = 0; done < length;)
        {
            var part = chunk.AsSpan(0, (int)Math.Min(length - done, AccessRwChunk));
            var result = Iommufd.AccessRw(access, iova + done, part, flags);
            if (result != Errno.None)
            {
                return result;
            }

            userFault = userFault || caller.Write(uptr + done, part) != Errno.None;
            done += (ulong)part.Length;
        }

        return userFault ? Errno.EFAULT : Errno.None;
    }

    // What iommufd_access_rw checks of the whole range before it moves anything.
    private static Errno CheckAccessRange(ulong iova, ulong length)
        => length == 0 ? Errno.EINVAL : !IoPageTable.Overflow.TryLast(iova, length, out _) ? Errno.EOVERFLOW : Errno.None;

    private static Errno AccessReplaceIoas(ref IommuTestCmd cmd, SimulatedProcess caller)
    {
        if (GetAccessFile(caller, cmd.Id, out var file) is var bad && bad != Errno.None)
        {
            return bad;
        }

        try
        {
            return Iommufd.AccessReplace(file!.Access!, cmd.Payload.AccessReplaceIoas.IoasId);
        }
        finally
        {
            file!.Put();
        }
    }

    // DIRTY: marks the mock PTEs of the page_size units set in the user bitmap dirty; returns how many.
    private static Errno Dirty(IommufdContext context, ref IommuTestCmd cmd, ref IoctlCall call)
    {
        var request = cmd.Payload.Dirty;
        if (request.PageSize == 0 || request.Length == 0 || request.Iova % request.PageSize != 0
            || request.Length % request.PageSize != 0 || request.Uptr == 0)
        {
            return Errno.EINVAL;
        }

        var found = GetMockPaging(context, cmd.Id, out var hwpt);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var domain = hwpt!.Domain;
            if (!domain.DirtyTracking)
            {
                return Errno.EINVAL;
            }

            var units = request.Length / request.PageSize;

            // kvzalloc(DIV_ROUND_UP(max, BITS_PER_LONG) * sizeof(long)) cannot allocate more than INT_MAX bytes.
            if ((units / 64) + (units % 64 == 0 ? 0UL : 1UL) > int.MaxValue / sizeof(ulong))
            {
                return Errno.ENOMEM;
            }

            // The whole bitmap (DIV_ROUND_UP(max, 8) bytes; a partial last byte is read too) is copied before any
            // mark: EFAULT first. Only the bits of units that start on a mapped IO page can mark anything, so
            // only those are read.
            var caller = (SimulatedProcess)call.Memory;
            if (caller.CheckUserRange(request.Uptr, (units + 7) / 8, write: false) != Errno.None)
            {
                return Errno.EFAULT;
            }

            var result = MarkDirtyUnits(domain, caller, request.Iova, request.PageSize, units, request.Uptr, out var marked);
            if (result != Errno.None)
            {
                return result;
            }

            cmd.Payload.Dirty.OutNrDirty = marked;
            return call.Respond(in cmd) != Errno.None ? Errno.EFAULT : Errno.None;
        }
        finally
        {
            context.Objects.Put(hwpt!);
        }
    }

    // Unit u is the IOVA iova + u * pageSize (wrapping as the kernel's unsigned arithmetic does); each unit whose
    // IOVA is mapped and whose bit is set marks its PTE. The walk follows the domain's mapped runs.
    private static Errno MarkDirtyUnits(PagingDomain domain, SimulatedProcess caller, ulong iova, ulong pageSize, ulong units, ulong bitmap, out ulong marked)
    {
        marked = 0;
        var bits = new byte[DirtyBitmapChunk];

        // units * pageSize <= length < 2^64, so the unit addresses wrap at most once: one or two linear segments.
        var beforeWrap = (ulong.MaxValue - iova) / pageSize;
        var firstCount = beforeWrap >= units - 1 ? units : beforeWrap + 1;
        var segments = new List<(ulong Base, ulong FirstUnit, ulong Count)> { (iova, 0, firstCount) };
        if (firstCount < units)
        {
            segments.Add((unchecked(iova + (firstCount * pageSize)), firstCount, units - firstCount));
        }

        foreach (var (segmentBase, firstUnit, count) in segments)
        {
            foreach (var (start, last) in domain.MappedRuns(segmentBase, segmentBase + ((count - 1) * pageSize)))
            {
                var from = firstUnit + ((start - segmentBase) / pageSize) + ((start - segmentBase) % pageSize == 0 ? 0UL : 1UL);
                var to = firstUnit + ((last - segmentBase) / pageSize);
                for (var unit = from; unit <= to;)
                {
                    var firstByte = unit / 8;
                    var length = (int)Math.Min((ulong)bits.Length, (to / 8) - firstByte + 1);
                    if (caller.Read(bitmap + firstByte, bits.AsSpan(0, length)) != Errno.None)
                    {
                        return Errno.EFAULT;
                    }

                    var chunkLast = Math.Min(to, ((firstByte + (ulong)length) * 8) - 1);
                    for (; unit <= chunkLast; unit++)
                    {
                        if ((bits[(int)((unit / 8) - firstByte)] & (1 << (int)(unit % 8))) != 0
                            && domain.MarkDirty(unchecked(iova + (unit * pageSize))))
                        {
                            marked++;
                        }
                    }
                }
            }
        }

        return Errno.None;
    }

    // get_md_pagetable: a paging HWPT (ENOENT otherwise) whose domain is the mock driver's (EINVAL otherwise).
    private static Errno GetMockPaging(IommufdContext context, ObjectId id, out HwptPaging? hwpt)
    {
        var found = context.Objects.Get(HwptId.FromObjectId(id), out hwpt);
        if (found != Errno.None)
        {
            return found;
        }

        if (hwpt!.Domain.Iommu.Driver != IommuDriverKind.Mock)
        {
            context.Objects.Put(hwpt);
            hwpt = null;
            return Errno.EINVAL;
        }

        return Errno.None;
    }

    // iommufd_access_get: the access file behind an fd of the caller (EBADFD for anything else).
    private static Errno GetAccessFile(SimulatedProcess caller, ObjectId fd, out SelftestAccessFile? file)
    {
        file = null;
        if (!caller.TryGetFile((int)fd.Value, out var open))
        {
            return Errno.EBADFD;
        }

        if (open is not SelftestAccessFile access)
        {
            open.Put();
            return Errno.EBADFD;
        }

        file = access;
        return Errno.None;
    }

    // iommufd_test_check_pages: the pinned pages are the pages mapped at uptr now (EBADE otherwise).
    private static Errno CheckPages(SimulatedProcess caller, ulong uptr, UserPage[] pages)
    {
        var current = new UserPage[1];
        for (var i = 0; i < pages.Length; i++)
        {
            var got = caller.GetUserPages(uptr + ((ulong)i * SimulatedProcess.PageSize), 1, write: false, current);
            if (got != Errno.None)
            {
                return got;
            }

            if (!ReferenceEquals(current[0], pages[i]))
            {
                return Errno.EBADE;
            }
        }

        return Errno.None;
    }
}
