using System.Buffers.Binary;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the newest kernel selftests' <c>iommufd_viommu</c> fixture. The tests both variants run are here;
/// those the kernel SKIPs for <c>no_viommu</c> are in <see cref="IommufdViommuMockViommuTests"/> only.
/// </summary>
public abstract class IommufdViommuTestsBase : IommufdViommuFixture
{
    protected IommufdViommuTestsBase(bool viommu)
        : base(viommu)
    {
    }

    // TEST_F(iommufd_viommu, viommu_auto_destroy): everything goes at close.
    [Fact]
    public void Viommu_auto_destroy()
    {
        Assert.Equal(DeviceId.IsValid, ViommuId.IsValid);
    }

    // TEST_F(iommufd_viommu, viommu_negative_tests).
    [Fact]
    public void Viommu_negative_tests()
    {
        if (DeviceId.IsValid)
        {
            // An invalid HWPT (ID 0).
            Assert.Equal(Errno.ENOENT, ViommuAlloc(DeviceId, HwptId.None, IommuViommuType.Selftest, 0, 0, out _));

            // Not a nesting parent.
            Assert.Equal(Errno.None, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.None, out var plain));
            Assert.Equal(Errno.EINVAL, ViommuAlloc(DeviceId, plain, IommuViommuType.Selftest, 0, 0, out _));
            Assert.Equal(Errno.None, File.Destroy(plain));

            // An unsupported vIOMMU type.
            Assert.Equal(Errno.EOPNOTSUPP, ViommuAlloc(DeviceId, HwptId, (IommuViommuType)0xdead, 0, 0, out _));
            Assert.Equal(Errno.EBUSY, File.Destroy(HwptId));
            Assert.Equal(Errno.EBUSY, File.Destroy(ViommuId));
        }
        else
        {
            Assert.Equal(Errno.ENOENT, ViommuAlloc(DeviceId, HwptId, IommuViommuType.Selftest, 0, 0, out _));
        }
    }

    // TEST_F(iommufd_viommu, vdevice_alloc): vDEVICE rules, and vEVENTs through a depth-2 queue with an overflow.
    [Fact]
    public void Vdevice_alloc()
    {
        if (!DeviceId.IsValid)
        {
            Assert.Equal(Errno.ENOENT, VdeviceAlloc(ViommuId, DeviceId, 0x99, out _));
            return;
        }

        var previousSequence = -1;

        // A vDEVICE must exist before the device attaches to a nested HWPT of the vIOMMU.
        Assert.Equal(Errno.ENOENT, ReplaceMockDevice(StdevId, NestedHwptId));

        // A vEVENT queue of depth 2; one per type.
        Assert.Equal(Errno.None, VeventqAlloc(ViommuId, IommuVeventqType.Selftest, out var queue, out var queueFd));
        Assert.Equal(Errno.EEXIST, VeventqAlloc(ViommuId, IommuVeventqType.Selftest, out _, out _));

        // Virtual ID 0x99, one event, then the ID cannot be taken again; unset it.
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x99, out var vdev));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, NestedHwptId));
        TriggerVevents(DeviceId, 1);
        Assert.Equal(Errno.None, ReadVevents(queueFd, 1, 0x99, ref previousSequence));
        Assert.Equal(0, previousSequence);
        Assert.Equal(Errno.EEXIST, VdeviceAlloc(ViommuId, DeviceId, 0x99, out _));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
        Assert.Equal(Errno.None, File.Destroy(vdev));

        // Again with 0x88; three events overflow the queue.
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x88, out vdev));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, NestedHwptId));
        TriggerVevents(DeviceId, 3);
        Assert.Equal(Errno.EOVERFLOW, ReadVevents(queueFd, 3, 0x88, ref previousSequence));
        Assert.Equal(3, previousSequence);

        // The overflow is gone after those reads.
        TriggerVevents(DeviceId, 1);
        Assert.Equal(Errno.None, ReadVevents(queueFd, 1, 0x88, ref previousSequence));
        Assert.Equal(4, previousSequence);
        Assert.Equal(Errno.None, Process.Close(queueFd));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
        Assert.Equal(Errno.None, File.Destroy(vdev));
        Assert.Equal(Errno.None, File.Destroy(queue));
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_viommu, no_viommu).</summary>
public sealed class IommufdViommuNoViommuTests : IommufdViommuTestsBase
{
    public IommufdViommuNoViommuTests()
        : base(viommu: false)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_viommu, mock_viommu), with the tests the kernel runs for it alone.</summary>
public sealed class IommufdViommuMockViommuTests : IommufdViommuTestsBase
{
    // sizeof(struct iommu_viommu_invalidate_selftest): flags, vdev_id, cache_id.
    private const uint InvalidateEntrySize = 12;

    public IommufdViommuMockViommuTests()
        : base(viommu: true)
    {
    }

    // TEST_F(iommufd_viommu, viommu_alloc_nested_iopf).
    [Fact]
    public void Viommu_alloc_nested_iopf()
    {
        var data = SelftestData!.Address;
        var (faultId, faultFd) = FaultAlloc();
        Assert.Equal(Errno.ENOENT, HwptAlloc(DeviceId, ViommuId, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.Selftest, data, HwptSelftestSize, out _, new FaultId(uint.MaxValue)));
        Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(DeviceId, ViommuId, IommuHwptAllocFlags.FaultIdValid | (IommuHwptAllocFlags)(1u << 31), IommuHwptDataType.Selftest, data, HwptSelftestSize, out _, faultId));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, ViommuId, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.Selftest, data, HwptSelftestSize, out var iopfHwpt, faultId));

        // A vDEVICE must exist before the device attaches to a nested HWPT.
        Assert.Equal(Errno.ENOENT, ReplaceMockDevice(StdevId, iopfHwpt));
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x99, out _));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, iopfHwpt));
        Assert.Equal(Errno.EBUSY, File.Destroy(iopfHwpt));
        var fault = TriggerIopfAndRespond(DeviceId, 0x1, faultFd);
        Assert.Equal(DeviceId, fault.DevId);
        Assert.Equal(TriggerIopfAddress, fault.Addr);

        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
        Assert.Equal(Errno.None, File.Destroy(iopfHwpt));
        Assert.Equal(Errno.None, Process.Close(faultFd));
        Assert.Equal(Errno.None, File.Destroy(faultId));
    }

    // TEST_F(iommufd_viommu, viommu_alloc_with_data): the data loops back, and the vIOMMU's page is mmap-able
    // from the iommufd fd at exactly the offset and length it reports.
    [Fact]
    public void Viommu_alloc_with_data()
    {
        const uint InData = 0xbeef;
        var data = new UserBuffer(Host, PageSize);
        data.U32(0, InData);
        Assert.Equal(Errno.None, ViommuAlloc(DeviceId, HwptId, IommuViommuType.Selftest, data.Address, 24, out var viommu));
        ViommuId = viommu;
        Assert.Equal(InData, data.U32(4));
        var mmapOffset = data.U64(8);
        var mmapLength = data.U64(16);
        Assert.Equal(2 * PageSize, mmapLength);

        // The offset and length cannot be changed.
        Assert.Equal(Errno.ENXIO, MmapIommufd(mmapLength, mmapOffset + PageSize, out _));
        Assert.Equal(Errno.ENXIO, MmapIommufd(mmapLength, mmapOffset + (PageSize * 2), out _));
        Assert.Equal(Errno.ENXIO, MmapIommufd(mmapLength / 2, mmapOffset, out _));
        Assert.Equal(Errno.ENXIO, MmapIommufd(mmapLength * 2, mmapOffset, out _));

        // A correct mmap for the loopback test.
        Assert.Equal(Errno.None, MmapIommufd(mmapLength, mmapOffset, out var test));
        Assert.Equal(InData, BinaryPrimitives.ReadUInt32LittleEndian(ReadUser(test, 4)));

        // The owner of the mmap region is blocked.
        Assert.Equal(Errno.EBUSY, File.Destroy(ViommuId));
        Assert.Equal(Errno.None, Process.Munmap(test, mmapLength));
    }

    // TEST_F(iommufd_viommu, vdevice_cache): HWPT_INVALIDATE on the vIOMMU clears the mock device's cache.
    [Fact]
    public void Vdevice_cache()
    {
        var requests = new UserBuffer(Host, PageSize);
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x99, out var vdev));
        CheckDevCacheAll(DeviceId, SelftestConstants.TestDevCacheDefault);

        // data_type is checked by a zero-length array.
        uint count = 0;
        Assert.Equal(Errno.None, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // Invalid data_type.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.SelftestInvalid, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // Entry size sanity.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize + 1, ref count));
        Assert.Equal(0u, count);
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, 1, ref count));
        Assert.Equal(0u, count);

        // Invalid flags.
        count = 1;
        WriteRequest(requests, 0, 0xffffffff, 0x99, 0);
        Assert.Equal(Errno.EOPNOTSUPP, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // NULL data_uptr with a non-empty array.
        count = 1;
        WriteRequest(requests, 0, 0, 0x99, 0);
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, 0, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // entry_len 0 with a non-empty array.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, 0, ref count));
        Assert.Equal(0u, count);

        // Invalid cache_id.
        count = 1;
        WriteRequest(requests, 0, 0, 0x99, SelftestConstants.MockDevCacheIdMax + 1);
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // Invalid vdev_id.
        count = 1;
        WriteRequest(requests, 0, 0, 0x9, 0);
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // The first entry is handled, the second has invalid flags.
        count = 2;
        WriteRequest(requests, 0, 0, 0x99, 0);
        WriteRequest(requests, 1, 0xffffffff, 0x99, 1);
        Assert.Equal(Errno.EOPNOTSUPP, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        AssertCaches(0, SelftestConstants.TestDevCacheDefault, SelftestConstants.TestDevCacheDefault, SelftestConstants.TestDevCacheDefault);

        // The first entry is handled, the second has an invalid cache_id.
        count = 2;
        WriteRequest(requests, 0, 0, 0x99, 0);
        WriteRequest(requests, 1, 0, 0x99, SelftestConstants.MockDevCacheIdMax + 1);
        Assert.Equal(Errno.EINVAL, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        AssertCaches(0, SelftestConstants.TestDevCacheDefault, SelftestConstants.TestDevCacheDefault, SelftestConstants.TestDevCacheDefault);

        // The second entry.
        count = 1;
        WriteRequest(requests, 0, 0, 0x99, 1);
        Assert.Equal(Errno.None, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        AssertCaches(0, 0, SelftestConstants.TestDevCacheDefault, SelftestConstants.TestDevCacheDefault);

        // The third and fourth entries.
        count = 2;
        WriteRequest(requests, 0, 0, 0x99, 2);
        WriteRequest(requests, 1, 0, 0x99, 3);
        Assert.Equal(Errno.None, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(2u, count);
        CheckDevCacheAll(DeviceId, 0);

        // Every entry.
        count = 1;
        WriteRequest(requests, 0, SelftestConstants.TestInvalidateFlagAll, 0x99, 0);
        Assert.Equal(Errno.None, Invalidate(ViommuId, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        CheckDevCacheAll(DeviceId, 0);
        Assert.Equal(Errno.None, File.Destroy(vdev));
    }

    // TEST_F(iommufd_viommu, hw_queue): the queue memory must be mapped, queues come in index order and depend
    // on each other, and the mapping under a queue cannot be unmapped while it exists.
    [Fact]
    public void Hw_queue()
    {
        var iova = SelftestConstants.MockApertureStart;

        // The DEFAULT type.
        Assert.Equal(Errno.EOPNOTSUPP, HwQueueAlloc(ViommuId, IommuHwQueueType.Default, 0, iova, PageSize, out _));

        // The queue address and length.
        Assert.Equal(Errno.EINVAL, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, iova, 0, out _));
        Assert.Equal(Errno.EOVERFLOW, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, ulong.MaxValue, PageSize, out _));

        // The IOVA is not mapped.
        Assert.Equal(Errno.ENOENT, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, iova, PageSize, out _));

        Assert.Equal(Errno.None, Map(Buffer, PageSize, out iova));
        Assert.Equal(Errno.None, Map(Buffer + PageSize, PageSize, out var iova2));

        // Index 1 before index 0, and index MAX.
        Assert.Equal(Errno.EIO, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 1, iova, PageSize, out _));
        Assert.Equal(Errno.EINVAL, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, SelftestConstants.TestHwQueueMax, iova, PageSize, out _));

        // Index 0 takes the IOVA.
        Assert.Equal(Errno.None, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, iova, PageSize, out var queue0));
        Assert.Equal(Errno.EEXIST, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, iova, PageSize, out _));

        // Its mapping cannot be unmapped; the second page's can.
        Assert.Equal(Errno.EBUSY, Unmap(iova, PageSize));
        Assert.Equal(Errno.None, Unmap(iova2, PageSize));

        // Index 1, unaligned.
        Assert.Equal(Errno.None, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 1, iova + (PageSize / 2), PageSize / 2, out var queue1));

        // Queue 1 depends on queue 0.
        Assert.Equal(Errno.EBUSY, File.Destroy(queue0));
        Assert.Equal(Errno.None, File.Destroy(queue1));
        Assert.Equal(Errno.None, File.Destroy(queue0));

        // Now the first page can be unmapped.
        Assert.Equal(Errno.None, Unmap(iova, PageSize));
    }

    // TEST_F(iommufd_viommu, vdevice_tombstone): unbinding the device destroys its vDEVICE and leaves its ID taken.
    [Fact]
    public void Vdevice_tombstone()
    {
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x99, out var vdev));
        Assert.Equal(Errno.None, File.Destroy(StdevId));
        Assert.Equal(Errno.ENOENT, File.Destroy(vdev));
    }

    private static void WriteRequest(UserBuffer requests, int index, uint flags, uint vdevId, uint cacheId)
    {
        var offset = (ulong)index * InvalidateEntrySize;
        requests.U32(offset, flags);
        requests.U32(offset + 4, vdevId);
        requests.U32(offset + 8, cacheId);
    }

    private void AssertCaches(params uint[] expected)
    {
        for (var id = 0; id < expected.Length; id++)
        {
            Assert.Equal(Errno.None, CheckDevCache(DeviceId, (uint)id, expected[id]));
        }
    }

    // mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, offset).
    private Errno MmapIommufd(ulong length, ulong offset, out ulong address)
        => Process.Mmap(Fd, length, MemoryProtection.ReadWrite, MmapFlags.Shared, offset, out address);
}
