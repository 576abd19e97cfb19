using System.Buffers.Binary;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd_ioas</c> fixture for the variants with mock domains
/// (<c>mock_domain</c>, <c>two_mock_domain</c>, <c>mock_domain_limit</c>), following the newest selftest.
/// The TEST_Fs shared with <c>no_domain</c>, and the access tests, are inherited from
/// <see cref="IommufdIoasTestsBase"/>; here are those whose whole body is the branch the kernel takes when
/// <c>self->stdev_id</c> / <c>self->device_id</c> are set.
/// </summary>
/// <remarks>
/// Not ported: the fault-queue half of alloc_hwpt_nested (FAULT_QUEUE_ALLOC, the fault-capable nested HWPT,
/// replacing onto it and TRIGGER_IOPF: fault queues are not modelled), fork_gone and fork_present (fork is not
/// modelled), dmabuf_simple, dmabuf_multi_page and dmabuf_revoke (dma-buf test ops, outside the current scope),
/// and ioas_align_change (the kernel returns at once for mock-domain variants, leaving only what
/// ioas_auto_destroy already covers). mock_domain_limit records the 16-byte temporary memory limit, but the
/// engine does not simulate batching, so the variant exercises the same paths as mock_domain.
/// </remarks>
public abstract class IommufdIoasMockDomainTestsBase : IommufdIoasTestsBase
{
    // sizeof(struct iommu_hwpt_selftest) in the newest header (iotlb, pagetable_type), and the minimum (iotlb).
    private const uint HwptSelftestSize = 8;
    private const uint HwptSelftestMinSize = 4;

    // sizeof(struct iommu_hwpt_invalidate_selftest): flags, iotlb_id.
    private const uint InvalidateEntrySize = 8;
    private const uint MockNestedDomainIotlbIdMax = SelftestConstants.MockNestedDomainIotlbNum - 1;

    // sizeof(struct iommu_test_hw_info): flags, test_reg.
    private const uint TestHwInfoSize = 8;

    protected IommufdIoasMockDomainTestsBase(int mockDomains, uint memoryLimit = 0, bool pasidCapable = false)
        : base(mockDomains, memoryLimit, pasidCapable)
    {
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), device branch, less the fault-queue steps.
    [Fact]
    public void Alloc_hwpt_nested()
    {
        var data = new UserBuffer(Host, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        var requests = new UserBuffer(Host, PageSize);

        // Negative tests.
        Assert.Equal(Errno.ENOENT, HwptAlloc(DeviceId.FromObjectId(Ioas), DeviceId, IommuHwptAllocFlags.None, out _));
        Assert.Equal(Errno.EINVAL, HwptAlloc(DeviceId, DeviceId, IommuHwptAllocFlags.None, out _));
        Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.FaultIdValid, out _));

        Assert.Equal(Errno.None, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.NestParent, out var parent));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.None, out var parentNotWork));

        // Negative nested tests.
        Assert.Equal(Errno.EINVAL, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.None, data.Address, HwptSelftestSize, out _));
        Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest + 1, data.Address, HwptSelftestSize, out _));
        Assert.Equal(Errno.EINVAL, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data.Address, HwptSelftestMinSize - 1, out _));
        Assert.Equal(Errno.EFAULT, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, 0, HwptSelftestSize, out _));
        Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.NestParent, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out _));
        Assert.Equal(Errno.EINVAL, HwptAlloc(DeviceId, parentNotWork, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out _));

        // Two nested HWPTs sharing one parent.
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out var nested0));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out var nested1));

        // A fault ID that names no fault queue.
        Assert.Equal(Errno.ENOENT, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out _, new FaultId(uint.MaxValue)));

        CheckIotlbAll(nested0, SelftestConstants.TestIotlbDefault);
        CheckIotlbAll(nested1, SelftestConstants.TestIotlbDefault);

        // A nested HWPT on top of a nested HWPT.
        Assert.Equal(Errno.EINVAL, HwptAlloc(DeviceId, nested0, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out _));

        // The parent cannot be freed now.
        Assert.Equal(Errno.EBUSY, File.Destroy(parent));

        // HWPT_INVALIDATE does not take a parent (paging) HWPT.
        uint count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(parent, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // data_type is checked by a zero-length array.
        count = 0;
        Assert.Equal(Errno.None, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // Invalid data_type.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.SelftestInvalid, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // Entry size sanity.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize + 1, ref count));
        Assert.Equal(0u, count);

        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, 1, ref count));
        Assert.Equal(0u, count);

        // Invalid flag.
        count = 1;
        WriteInvalidate(requests, 0, 0xffffffff, 0);
        Assert.Equal(Errno.EOPNOTSUPP, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // NULL data_uptr with a non-empty array.
        count = 1;
        WriteInvalidate(requests, 0, 0, 0);
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, 0, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // entry_len 0 with a non-empty array.
        count = 1;
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, 0, ref count));
        Assert.Equal(0u, count);

        // Invalid iotlb_id.
        count = 1;
        WriteInvalidate(requests, 0, 0, MockNestedDomainIotlbIdMax + 1);
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(0u, count);

        // The first entry is handled, the second has invalid flags.
        count = 2;
        WriteInvalidate(requests, 0, 0, 0);
        WriteInvalidate(requests, 1, 0xffffffff, 1);
        Assert.Equal(Errno.EOPNOTSUPP, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        Assert.Equal(Errno.None, CheckIotlb(nested0, 0, 0));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 1, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 2, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 3, SelftestConstants.TestIotlbDefault));

        // The first entry is handled, the second has an invalid iotlb_id.
        count = 2;
        WriteInvalidate(requests, 0, 0, 0);
        WriteInvalidate(requests, 1, 0, MockNestedDomainIotlbIdMax + 1);
        Assert.Equal(Errno.EINVAL, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        Assert.Equal(Errno.None, CheckIotlb(nested0, 0, 0));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 1, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 2, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 3, SelftestConstants.TestIotlbDefault));

        // Invalidate the second entry.
        count = 1;
        WriteInvalidate(requests, 0, 0, 1);
        Assert.Equal(Errno.None, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        Assert.Equal(Errno.None, CheckIotlb(nested0, 0, 0));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 1, 0));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 2, SelftestConstants.TestIotlbDefault));
        Assert.Equal(Errno.None, CheckIotlb(nested0, 3, SelftestConstants.TestIotlbDefault));

        // Invalidate the third and fourth entries.
        count = 2;
        WriteInvalidate(requests, 0, 0, 2);
        WriteInvalidate(requests, 1, 0, 3);
        Assert.Equal(Errno.None, Invalidate(nested0, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(2u, count);
        CheckIotlbAll(nested0, 0);

        // Invalidate every entry of nested1.
        count = 1;
        WriteInvalidate(requests, 0, SelftestConstants.TestInvalidateFlagAll, 0);
        Assert.Equal(Errno.None, Invalidate(nested1, requests.Address, IommuHwptInvalidateDataType.Selftest, InvalidateEntrySize, ref count));
        Assert.Equal(1u, count);
        CheckIotlbAll(nested1, 0);

        // Attached to nested0, which is then busy.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, nested0));
        Assert.Equal(Errno.EBUSY, File.Destroy(nested0));

        // From nested0 to nested1.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, nested1));
        Assert.Equal(Errno.EBUSY, File.Destroy(nested1));
        Assert.Equal(Errno.None, File.Destroy(nested0));

        // Away from nested1, which can then be destroyed.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, parent));
        Assert.Equal(Errno.None, File.Destroy(nested1));

        // Away from the parent.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
        Assert.Equal(Errno.None, File.Destroy(parent));
        Assert.Equal(Errno.None, File.Destroy(parentNotWork));
    }

    // TEST_F(iommufd_ioas, get_hw_info), device branch.
    [Fact]
    public void Get_hw_info()
    {
        var exact = new UserBuffer(Host, PageSize);
        var larger = new UserBuffer(Host, PageSize);

        // A zero-size user buffer.
        GetHwInfoSucceeds(DeviceId, IommuHwInfoType.Default, 0, 0);

        // A user buffer of exactly the driver's size.
        GetHwInfoSucceeds(DeviceId, IommuHwInfoType.Default, exact.Address, TestHwInfoSize);

        // A wrong data_type, then the right one.
        var wrongType = IommuHwInfoType.Selftest + 1;
        var length = TestHwInfoSize;
        Assert.Equal(Errno.EOPNOTSUPP, File.GetHwInfo(IommuHwInfoFlags.InputType, DeviceId, exact.Address, ref length, ref wrongType, out _, out _));
        GetHwInfoSucceeds(DeviceId, IommuHwInfoType.Selftest, exact.Address, TestHwInfoSize);

        // A larger user buffer: the kernel zeroes the trailing bytes.
        larger.Fill(0, 16, 0xFF);
        GetHwInfoSucceeds(DeviceId, IommuHwInfoType.Default, larger.Address, 16);
        Assert.Equal(0UL, larger.U64(8));

        // A smaller user buffer: the fields inside it are still written, nothing past it.
        exact.Fill(0, TestHwInfoSize, 0xAA);
        GetHwInfoSucceeds(DeviceId, IommuHwInfoType.Default, exact.Address, 4);
        Assert.Equal(0xAAAAAAAAu, exact.U32(4));

        Assert.Equal(0, GetMaxPasid(DeviceId));
        if (PasidCapable)
        {
            Assert.Equal(SelftestConstants.MockPasidWidth, GetMaxPasid(DevicePasidId));
        }
    }

    private static void WriteInvalidate(UserBuffer requests, int index, uint flags, uint iotlbId)
    {
        var offset = (ulong)index * InvalidateEntrySize;
        requests.U32(offset, flags);
        requests.U32(offset + 4, iotlbId);
    }

    private Errno Invalidate(ObjectId hwpt, ulong requests, IommuHwptInvalidateDataType type, uint entryLength, ref uint count)
        => File.HwptInvalidate(hwpt, requests, type, entryLength, ref count);

    // test_cmd_hwpt_check_iotlb_all
    private void CheckIotlbAll(HwptId nested, uint expected)
    {
        for (uint i = 0; i < SelftestConstants.MockNestedDomainIotlbNum; i++)
        {
            Assert.Equal(Errno.None, CheckIotlb(nested, i, expected));
        }
    }

    // _test_cmd_get_hw_info and the checks it makes on success: INPUT_TYPE unless DEFAULT is asked for, the
    // selftest type and length come back, trailing bytes of a larger buffer are zero, the reported fields are right.
    private void GetHwInfoSucceeds(DeviceId device, IommuHwInfoType type, ulong data, uint dataLength)
    {
        var flags = type == IommuHwInfoType.Default ? IommuHwInfoFlags.None : IommuHwInfoFlags.InputType;
        var length = dataLength;
        Assert.Equal(Errno.None, File.GetHwInfo(flags, device, data, ref length, ref type, out _, out _));
        Assert.Equal(IommuHwInfoType.Selftest, type);
        Assert.Equal(TestHwInfoSize, length);

        if (dataLength > length)
        {
            Assert.All(ReadUser(data + length, (int)(dataLength - length)), b => Assert.Equal(0, b));
        }

        if (data != 0)
        {
            if (dataLength >= 8)
            {
                Assert.Equal(SelftestConstants.HwInfoSelftestRegval, BinaryPrimitives.ReadUInt32LittleEndian(ReadUser(data + 4, 4)));
            }

            if (dataLength >= 4)
            {
                Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(ReadUser(data, 4)));
            }
        }
    }

    // test_cmd_get_hw_info_pasid
    private int GetMaxPasid(DeviceId device)
    {
        uint length = 0;
        var type = IommuHwInfoType.Default;
        Assert.Equal(Errno.None, File.GetHwInfo(IommuHwInfoFlags.None, device, 0, ref length, ref type, out var maxPasid, out _));
        Assert.Equal(IommuHwInfoType.Selftest, type);
        Assert.Equal(TestHwInfoSize, length);
        return maxPasid;
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_ioas, mock_domain): one mock domain, plus a PASID-capable mock device.</summary>
public sealed class IommufdIoasMockDomainTests : IommufdIoasMockDomainTestsBase
{
    public IommufdIoasMockDomainTests()
        : base(mockDomains: 1, pasidCapable: true)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_ioas, two_mock_domain).</summary>
public sealed class IommufdIoasTwoMockDomainTests : IommufdIoasMockDomainTestsBase
{
    public IommufdIoasTwoMockDomainTests()
        : base(mockDomains: 2)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_ioas, mock_domain_limit): one mock domain, temporary memory limit 16.</summary>
public sealed class IommufdIoasMockDomainLimitTests : IommufdIoasMockDomainTestsBase
{
    public IommufdIoasMockDomainLimitTests()
        : base(mockDomains: 1, memoryLimit: 16)
    {
    }
}
