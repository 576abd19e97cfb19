using System.Buffers.Binary;
using System.Runtime.InteropServices;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The selftest mock driver's vIOMMU (struct mock_viommu and mock_viommu_ops): a loopback of its init data
/// with a 2-page mmap region showing it, the devices' caches as its invalidation target, and two HW queue
/// slots where queue N must come after, and depends on, queue N-1.
/// </summary>
internal sealed class MockViommu
{
    // offsetofend(struct iommu_viommu_selftest, out_data).
    private const uint DataMinSize = 8;

    private readonly HwQueue?[] _hwQueues = new HwQueue?[SelftestConstants.TestHwQueueMax];

    private MockViommu(Viommu core) => Core = core;

    public Viommu Core { get; }

    /// <summary>mock_viommu->mmap_offset (0 when the vIOMMU was created without data).</summary>
    public ulong MmapOffset { get; private set; }

    /// <summary>mock_viommu->queue_mutex.</summary>
    public object QueueLock { get; } = new();

    /// <summary>The vIOMMU type this driver implements (get_viommu_size answers 0 for any other: EOPNOTSUPP).</summary>
    public static bool Supports(IommuViommuType type) => type == IommuViommuType.Selftest;

    /// <summary>
    /// mock_viommu_init: with data, copies in iommu_viommu_selftest (EINVAL shorter than 8 bytes or a NULL
    /// pointer, E2BIG / EFAULT from the copy), makes a 2-page region whose first word is in_data, registers it
    /// for mmap (ENOMEM) and copies out out_data, the mmap offset and length (EFAULT undoes the region).
    /// </summary>
    public static Errno Init(Viommu viommu, uint dataLength, ulong dataPointer, IUserMemory memory, out MockViommu? driver)
    {
        driver = null;
        var created = new MockViommu(viommu);
        if (dataLength != 0)
        {
            if (dataLength < DataMinSize || dataPointer == 0)
            {
                return Errno.EINVAL;
            }

            var data = default(IommuViommuSelftest);
            var copied = UserStructs.CopyFrom(memory, dataPointer, dataLength, MemoryMarshal.AsBytes(new Span<IommuViommuSelftest>(ref data)));
            if (copied != Errno.None)
            {
                return copied;
            }

            var kernel = viommu.Context.Kernel;
            if (kernel.Faults.Hit(FaultPoint.Allocation) != Errno.None)
            {
                return Errno.ENOMEM;
            }

            UserPage[] pages = [kernel.PhysicalMemory.AllocatePage(), kernel.PhysicalMemory.AllocatePage()];
            var registered = viommu.Context.AllocateMmap(viommu, pages, out var offset);
            if (registered != Errno.None)
            {
                return registered;
            }

            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(word, data.InData);
            pages[0].Write(0, word);
            data.OutData = data.InData;
            data.OutMmapLength = 2 * SimulatedProcess.PageSize;
            data.OutMmapOffset = offset;
            if (UserStructs.CopyTo(memory, dataPointer, dataLength, MemoryMarshal.AsBytes(new Span<IommuViommuSelftest>(ref data))) != Errno.None)
            {
                viommu.Context.DestroyMmap(viommu, offset);
                return Errno.EFAULT;
            }

            created.MmapOffset = offset;
        }

        driver = created;
        return Errno.None;
    }

    /// <summary>mock_viommu_destroy: the mmap region is no longer mappable.</summary>
    public void Destroy()
    {
        if (MmapOffset != 0)
        {
            Core.Context.DestroyMmap(Core, MmapOffset);
            MmapOffset = 0;
        }
    }

    /// <summary>mock_viommu_alloc_domain_nested: flags other than PASID are EOPNOTSUPP, then the selftest data as for a nested HWPT.</summary>
    public static Errno CheckNestedFlags(IommuHwptAllocFlags flags)
        => (flags & ~IommuHwptAllocFlags.Pasid) != 0 ? Errno.EOPNOTSUPP : Errno.None;

    /// <summary>
    /// mock_viommu_cache_invalidate: each 12-byte iommu_viommu_invalidate_selftest entry clears one cache entry
    /// (or all, with FLAG_ALL) of the device with that virtual ID. A zero-length array of the right type is a
    /// probe. EINVAL for another type, an unknown device or cache_id; EOPNOTSUPP for unknown flags; the copy's
    /// E2BIG / EFAULT. <paramref name="done"/> counts the entries handled.
    /// </summary>
    public Errno CacheInvalidate(IommuHwptInvalidateDataType type, ulong array, uint entryLength, uint count, IUserMemory memory, out uint done)
    {
        done = 0;
        if (count == 0 && type == IommuHwptInvalidateDataType.Selftest)
        {
            return Errno.None;
        }

        // kzalloc of the command array.
        if (Core.Context.Kernel.Faults.Hit(FaultPoint.Allocation) != Errno.None)
        {
            return Errno.ENOMEM;
        }

        var copied = CopyFullArray(type, array, entryLength, count, memory, out var entries);
        if (copied != Errno.None)
        {
            return copied;
        }

        foreach (var entry in entries)
        {
            if ((entry.Flags & ~SelftestConstants.TestInvalidateFlagAll) != 0)
            {
                return Errno.EOPNOTSUPP;
            }

            if (entry.CacheId > SelftestConstants.MockDevCacheIdMax)
            {
                return Errno.EINVAL;
            }

            lock (Core.VdevLock)
            {
                if (Core.FindDevice(entry.VdevId)?.MockState is not { } device)
                {
                    return Errno.EINVAL;
                }

                lock (device.Lock)
                {
                    if ((entry.Flags & SelftestConstants.TestInvalidateFlagAll) != 0)
                    {
                        Array.Clear(device.Cache);
                    }
                    else
                    {
                        device.Cache[entry.CacheId] = 0;
                    }
                }
            }

            done++;
        }

        return Errno.None;
    }

    /// <summary>
    /// mock_hw_queue_init_phys: EINVAL for an index past the last slot, EEXIST for a taken slot, EIO when the
    /// previous slot is empty, EFAULT when the physical address is not what the nesting parent maps the queue
    /// IOVA to; then queue N depends on N-1 (a user on it until N goes).
    /// </summary>
    public Errno InitHwQueue(HwQueue queue, uint index)
    {
        if (index >= SelftestConstants.TestHwQueueMax)
        {
            return Errno.EINVAL;
        }

        lock (QueueLock)
        {
            if (_hwQueues[index] is not null)
            {
                return Errno.EEXIST;
            }

            HwQueue? previous = null;
            if (index != 0)
            {
                previous = _hwQueues[index - 1];
                if (previous is null)
                {
                    return Errno.EIO;
                }
            }

            if (Core.Hwpt.Domain.Translate(queue.BaseAddress) is not { } translated || translated.Physical != queue.BasePhysical)
            {
                return Errno.EFAULT;
            }

            // iommufd_hw_queue_depend.
            previous?.AddUser();
            _hwQueues[index] = queue;
            queue.DriverDestroy = q => DestroyHwQueue(q, index, previous);
            return Errno.None;
        }
    }

    // mock_hw_queue_destroy: the slot is free and the dependency on the previous queue goes.
    private void DestroyHwQueue(HwQueue queue, uint index, HwQueue? previous)
    {
        lock (QueueLock)
        {
            if (ReferenceEquals(_hwQueues[index], queue))
            {
                _hwQueues[index] = null;
            }

            previous?.DropUser();
        }
    }

    // iommu_copy_struct_from_full_user_array: the type must match; entries of any length are copied as
    // copy_struct_from_user does (shorter: zero-filled, longer: the extra bytes must be zero, E2BIG).
    private static Errno CopyFullArray(IommuHwptInvalidateDataType type, ulong array, uint entryLength, uint count, IUserMemory memory, out List<IommuViommuInvalidateSelftest> entries)
    {
        entries = new List<IommuViommuInvalidateSelftest>();
        if (type != IommuHwptInvalidateDataType.Selftest || count == 0)
        {
            return Errno.EINVAL;
        }

        for (uint i = 0; i < count; i++)
        {
            var entry = default(IommuViommuInvalidateSelftest);
            var copied = UserStructs.CopyFrom(memory, array + ((ulong)entryLength * i), entryLength, MemoryMarshal.AsBytes(new Span<IommuViommuInvalidateSelftest>(ref entry)));
            if (copied != Errno.None)
            {
                return copied;
            }

            entries.Add(entry);
        }

        return Errno.None;
    }
}
