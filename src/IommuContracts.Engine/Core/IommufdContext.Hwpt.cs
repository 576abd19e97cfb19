using System.Buffers.Binary;
using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// HWPT_ALLOC, GET_HW_INFO, HWPT_SET_DIRTY_TRACKING, HWPT_GET_DIRTY_BITMAP, HWPT_INVALIDATE.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuHwptAlloc))]
    private Errno HwptAlloc(ref IommuHwptAlloc alloc, ref IoctlCall call)
    {
        if ((alloc.DataType == IommuHwptDataType.None && alloc.DataLen != 0) || (alloc.DataType != IommuHwptDataType.None && alloc.DataLen == 0))
        {
            return Errno.EINVAL;
        }

        var found = Objects.Get(alloc.DevId, out Device? device);
        if (found != Errno.None)
        {
            return found;
        }

        // pt_id of any kind; an unknown one is EINVAL here, not ENOENT.
        if (Objects.Lookup(alloc.PtId, ObjectKind.Any, out var target) != Errno.None)
        {
            Objects.Put(device!);
            return Errno.EINVAL;
        }

        try
        {
            return target switch
            {
                Ioas ioas => AllocatePaging(ref alloc, ref call, device!, ioas),
                HwptPaging parent => AllocateNested(ref alloc, ref call, device!, parent),
                _ => Errno.EINVAL,
            };
        }
        finally
        {
            Objects.Put(target!);
            Objects.Put(device!);
        }
    }

    private Errno AllocatePaging(ref IommuHwptAlloc alloc, ref IoctlCall call, Device device, Ioas ioas)
    {
        // The driver reads its data only once the flags passed.
        var flags = HwptPaging.CheckFlags(this, device, alloc.Flags);
        if (flags != Errno.None)
        {
            return flags;
        }

        var data = ReadPagingData(ref alloc, call.Memory, device);
        if (data != Errno.None)
        {
            return data;
        }

        lock (ioas.Mutex)
        {
            var allocated = HwptPaging.Allocate(this, ioas, device, alloc.Flags, immediateAttach: false, out var hwpt);
            if (allocated != Errno.None)
            {
                return allocated;
            }

            return Finish(ref alloc, ref call, hwpt!);
        }
    }

    // Only the newest mock takes driver data on a paging allocation (struct iommu_hwpt_selftest, whose
    // pagetable_type picks the page-table format); the real-looking drivers refuse it. The engine models the
    // default format only: the generic_pt huge and AMDv1 formats answer EOPNOTSUPP.
    private Errno ReadPagingData(ref IommuHwptAlloc alloc, IUserMemory memory, Device device)
    {
        if (alloc.DataLen == 0)
        {
            return Errno.None;
        }

        // Before pagetable_type the mock, like every driver, refuses data for a paging HWPT.
        if (device.Dev.Iommu.Driver != IommuDriverKind.Mock || !Kernel.Profile.Supports(Profiles.KernelFeatures.SelftestPagetableType))
        {
            return Errno.EOPNOTSUPP;
        }

        var read = Drivers.SelftestHwptData.Read(Kernel.Profile, alloc.DataType, alloc.DataLen, alloc.DataUptr, memory, out var selftest);
        if (read != Errno.None)
        {
            return read;
        }

        return selftest.PagetableType == MockPageTableType.Default ? Errno.None : Errno.EOPNOTSUPP;
    }

    private Errno AllocateNested(ref IommuHwptAlloc alloc, ref IoctlCall call, Device device, HwptPaging parent)
    {
        var allocated = HwptNested.Allocate(this, parent, device, alloc.Flags, alloc.DataType, alloc.DataLen, alloc.DataUptr, call.Memory, out var hwpt);
        return allocated != Errno.None ? allocated : Finish(ref alloc, ref call, hwpt!);
    }

    // FAULT_ID_VALID needs a fault queue, which this engine does not model; then respond before publishing.
    private Errno Finish(ref IommuHwptAlloc alloc, ref IoctlCall call, HwPageTable hwpt)
    {
        if ((alloc.Flags & IommuHwptAllocFlags.FaultIdValid) != 0)
        {
            Objects.Abort(hwpt);
            return Errno.ENOENT;
        }

        alloc.OutHwptId = new HwptId(hwpt.RawId);
        if (call.Respond(in alloc) != Errno.None)
        {
            Objects.Abort(hwpt);
            return Errno.EFAULT;
        }

        Objects.Publish(hwpt);
        return Errno.None;
    }

    [IoctlHandler(typeof(IommuHwInfo))]
    private Errno GetHwInfo(ref IommuHwInfo info, ref IoctlCall call)
    {
        // Flags the profile's kernel does not know are EOPNOTSUPP, like the reserved bytes.
        var accepted = (IommuHwInfoFlags)Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.HwInfo, (ulong)IommuHwInfoFlags.InputType);
        if ((info.Flags & ~accepted) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if ((info.Flags & IommuHwInfoFlags.InputType) == 0)
        {
            info.DataType = IommuHwInfoType.Default;
        }

        var found = Objects.Get(info.DevId, out Device? device);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var iommu = device!.Dev.Iommu;
            byte[] data;
            if (iommu.Driver == IommuDriverKind.Mock)
            {
                if (info.DataType != IommuHwInfoType.Default && info.DataType != IommuHwInfoType.Selftest)
                {
                    return Errno.EOPNOTSUPP;
                }

                var selftest = new IommuTestHwInfo { Flags = 0, TestReg = SelftestConstants.HwInfoSelftestRegval };
                data = IoctlArguments.BytesOf(in selftest).ToArray();
                info.DataType = IommuHwInfoType.Selftest;
            }
            else if (iommu.Driver == IommuDriverKind.IntelVtd)
            {
                // intel_iommu_hw_info: the erratum flag is always set, then the raw CAP and ECAP registers.
                if (info.DataType != IommuHwInfoType.Default && info.DataType != IommuHwInfoType.IntelVtd)
                {
                    return Errno.EOPNOTSUPP;
                }

                var vtd = new IommuHwInfoVtd
                {
                    Flags = IommuHwInfoVtdFlags.Errata772415Spr17,
                    CapReg = iommu.VtdCapabilityRegister,
                    EcapReg = iommu.VtdExtendedCapabilityRegister,
                };
                data = IoctlArguments.BytesOf(in vtd).ToArray();
                info.DataType = IommuHwInfoType.IntelVtd;
            }
            else
            {
                data = [];
                info.DataType = IommuHwInfoType.Default;
            }

            var copy = (int)Math.Min(info.DataLen, (uint)data.Length);
            if (call.Memory.CopyToUser(info.DataUptr, data.AsSpan(0, copy)) != Errno.None)
            {
                return Errno.EFAULT;
            }

            // Zero the rest of a larger user buffer, then report the driver's own length.
            if ((uint)copy < info.DataLen && ClearUser(call.Memory, info.DataUptr + (ulong)copy, info.DataLen - (uint)copy) != Errno.None)
            {
                return Errno.EFAULT;
            }

            info.DataLen = (uint)data.Length;
            info.OutCapabilities = iommu.DirtyTracking && (device.Dev.MockFlags & (ulong)MockDeviceFlags.NoDirty) == 0
                ? IommuHwCapabilities.DirtyTracking
                : IommuHwCapabilities.None;
            info.OutMaxPasidLog2 = (byte)iommu.MaxPasidLog2;
            return Errno.None;
        }
        finally
        {
            Objects.Put(device!);
        }
    }

    [IoctlHandler(typeof(IommuHwptSetDirtyTracking))]
    private Errno HwptSetDirtyTracking(ref IommuHwptSetDirtyTracking request)
    {
        var found = Objects.Get(request.HwptId, out HwptPaging? hwpt);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var domain = hwpt!.Domain;
            if (!domain.DirtyCapable)
            {
                return Errno.EOPNOTSUPP;
            }

            var enable = (request.Flags & IommuHwptDirtyTrackingFlags.Enable) != 0;
            lock (hwpt.Ioas.Iopt.Lock)
            {
                // Enabling starts from a clean snapshot of the mapped areas.
                if (enable)
                {
                    domain.ClearAllDirty();
                }

                domain.DirtyTracking = enable;
            }

            return Errno.None;
        }
        finally
        {
            Objects.Put(hwpt!);
        }
    }

    [IoctlHandler(typeof(IommuHwptGetDirtyBitmap))]
    private Errno HwptGetDirtyBitmap(ref IommuHwptGetDirtyBitmap request, ref IoctlCall call)
    {
        var found = Objects.Get(request.HwptId, out HwptPaging? hwpt);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            return ReadDirtyBitmap(hwpt!, ref request, call.Memory);
        }
        finally
        {
            Objects.Put(hwpt!);
        }
    }

    // iommufd_check_iova_range + iommu_read_and_clear_dirty: bit i of the user bitmap is page_size unit i,
    // written to user memory as the walk goes.
    private static Errno ReadDirtyBitmap(HwptPaging hwpt, ref IommuHwptGetDirtyBitmap request, IUserMemory memory)
    {
        var iopt = hwpt.Ioas.Iopt;
        var alignment = iopt.IovaAlignment;
        if (!IoPageTable.Overflow.TryAdd(request.Iova, unchecked(request.Length - 1), out var last))
        {
            return Errno.EOVERFLOW;
        }

        if ((request.Iova & (alignment - 1)) != 0 || (unchecked(last + 1) & (alignment - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        var pageSize = request.PageSize;
        if (pageSize == 0)
        {
            return Errno.EINVAL;
        }

        if ((request.Iova & (pageSize - 1)) != 0 || (unchecked(last + 1) & (pageSize - 1)) != 0)
        {
            return Errno.EINVAL;
        }

        var domain = hwpt.Domain;
        if (!domain.DirtyCapable)
        {
            return Errno.EOPNOTSUPP;
        }

        if (!domain.DirtyTracking)
        {
            return Errno.EINVAL;
        }

        lock (iopt.Lock)
        {
            if (!iopt.IsContiguouslyMapped(request.Iova, last))
            {
                return Errno.EINVAL;
            }

            var keep = (request.Flags & IommuHwptGetDirtyBitmapFlags.NoClear) != 0;
            var start = request.Iova;
            var end = last;
            var bitmap = new UserDirtyBitmap(memory, request.Data, start, pageSize);
            domain.ReadAndClearDirty(start, end - start + 1, keep, (entryStart, entrySize) =>
                bitmap.Set(Math.Max(entryStart, start), Math.Min(entryStart + (entrySize - 1), end)));
            return bitmap.Complete();
        }
    }

    // IOMMU_HWPT_INVALIDATE_ENTRY_NUM_MAX and the PAGE_SIZE cap on entry_len (hw_pagetable.c).
    private const uint MaxInvalidateEntries = 1U << 19;
    private const uint MaxInvalidateEntryLength = 4096;

    [IoctlHandler(typeof(IommuHwptInvalidate))]
    private Errno HwptInvalidate(ref IommuHwptInvalidate request, ref IoctlCall call)
    {
        var requested = request.EntryNum;
        request.EntryNum = 0;

        // Bounded so one call cannot pin the CPU: an entry longer than a page or more than 2^19 entries is EINVAL.
        if (requested != 0 && (request.DataUptr == 0 || request.EntryLen == 0 || request.EntryLen > MaxInvalidateEntryLength
            || requested > MaxInvalidateEntries))
        {
            return Errno.EINVAL;
        }

        // Before vIOMMUs the ID is looked up as a nested HWPT (ENOENT for anything else); since, as any object.
        var anyObject = Kernel.Profile.Supports(Profiles.KernelFeatures.HwptInvalidateAnyObject);
        var found = Objects.Lookup(request.HwptId, anyObject ? ObjectKind.Any : ObjectKind.HwptNested, out var target);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            if (target is not HwptNested nested)
            {
                return Errno.EINVAL;
            }

            var result = InvalidateMockIotlb(nested, request.DataType, request.DataUptr, request.EntryLen, requested, call.Memory, out var done);
            request.EntryNum = done;
            return result;
        }
        finally
        {
            Objects.Put(target!);
        }
    }

    // mock_domain_cache_invalidate_user: each entry is an iommu_hwpt_invalidate_selftest of exactly 8 bytes.
    private static Errno InvalidateMockIotlb(HwptNested nested, IommuHwptInvalidateDataType type, ulong array, uint entryLength, uint count, IUserMemory memory, out uint done)
    {
        done = 0;
        if (type != IommuHwptInvalidateDataType.Selftest)
        {
            return Errno.EINVAL;
        }

        const int EntrySize = 8;
        Span<byte> entry = stackalloc byte[EntrySize];
        for (uint i = 0; i < count; i++)
        {
            if (entryLength != EntrySize)
            {
                return Errno.EINVAL;
            }

            if (memory.CopyFromUser(array + ((ulong)entryLength * i), entry) != Errno.None)
            {
                return Errno.EFAULT;
            }

            var flags = BinaryPrimitives.ReadUInt32LittleEndian(entry);
            var iotlbId = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            if ((flags & ~SelftestConstants.TestInvalidateFlagAll) != 0)
            {
                return Errno.EOPNOTSUPP;
            }

            if (iotlbId >= SelftestConstants.MockNestedDomainIotlbNum)
            {
                return Errno.EINVAL;
            }

            lock (nested.Iotlb)
            {
                if ((flags & SelftestConstants.TestInvalidateFlagAll) != 0)
                {
                    Array.Clear(nested.Iotlb);
                }
                else
                {
                    nested.Iotlb[iotlbId] = 0;
                }
            }

            done++;
        }

        return Errno.None;
    }

    private static Errno ClearUser(IUserMemory memory, ulong address, ulong length)
    {
        Span<byte> zeros = stackalloc byte[4096];
        zeros.Clear();
        for (ulong done = 0; done < length;)
        {
            var count = (int)Math.Min(4096UL, length - done);
            if (memory.CopyToUser(address + done, zeros[..count]) != Errno.None)
            {
                return Errno.EFAULT;
            }

            done += (ulong)count;
        }

        return Errno.None;
    }
}
