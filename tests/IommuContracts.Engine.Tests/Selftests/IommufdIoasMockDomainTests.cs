using System.Buffers.Binary;
using System.Numerics;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd_ioas</c> fixture for the variants with mock domains
/// (<c>mock_domain</c>, <c>two_mock_domain</c>, <c>mock_domain_limit</c>), following the newest selftest.
/// Each test takes the branch the kernel takes when <c>self->stdev_id</c> / <c>self->device_id</c> are set;
/// the access tests are inherited from <see cref="IommufdIoasAccessTestsBase"/>.
/// </summary>
/// <remarks>
/// Not ported: the fault-queue half of alloc_hwpt_nested (FAULT_QUEUE_ALLOC, the fault-capable nested HWPT,
/// replacing onto it and TRIGGER_IOPF: fault queues are not modelled), fork_gone and fork_present (fork is not
/// modelled), dmabuf_simple, dmabuf_multi_page and dmabuf_revoke (dma-buf test ops, outside the current scope),
/// and ioas_align_change (the kernel returns at once for mock-domain variants, leaving only what
/// ioas_auto_destroy already covers). mock_domain_limit records the 16-byte temporary memory limit, but the
/// engine does not simulate batching, so the variant exercises the same paths as mock_domain.
/// </remarks>
public abstract class IommufdIoasMockDomainTestsBase : IommufdIoasAccessTestsBase
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;
    private const ulong MockApertureLast = SelftestConstants.MockApertureLast;
    private const uint IommuIoasIovaRanges = 0x3B84;
    private const int IovaRangeSize = 16;

    // sizeof(struct iommu_hwpt_selftest) in the newest header (iotlb, pagetable_type), and the minimum (iotlb).
    private const uint HwptSelftestSize = 8;
    private const uint HwptSelftestMinSize = 4;

    // sizeof(struct iommu_hwpt_invalidate_selftest): flags, iotlb_id.
    private const uint InvalidateEntrySize = 8;
    private const uint MockNestedDomainIotlbIdMax = SelftestConstants.MockNestedDomainIotlbNum - 1;

    // sizeof(struct iommu_test_hw_info): flags, test_reg.
    private const uint TestHwInfoSize = 8;

    private static readonly IommuIoasMapFlags CopyFlags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Writeable;

    protected IommufdIoasMockDomainTestsBase(int mockDomains, uint memoryLimit = 0, bool pasidCapable = false)
        : base(mockDomains, memoryLimit, pasidCapable)
    {
    }

    // TEST_F(iommufd_ioas, ioas_auto_destroy): the IOAS and its devices are left for close() to destroy.
    [Fact]
    public void Ioas_auto_destroy()
    {
        Assert.True(Ioas.IsValid);
        Assert.True(StdevId.IsValid);
    }

    // TEST_F(iommufd_ioas, ioas_destroy): an IOAS cannot be freed while a device's HWPT uses it.
    [Fact]
    public void Ioas_destroy()
    {
        Assert.Equal(Errno.EBUSY, File.Destroy(Ioas));
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), device branch, less the fault-queue steps.
    [Fact]
    public void Alloc_hwpt_nested()
    {
        var data = new UserBuffer(Process, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        var requests = new UserBuffer(Process, PageSize);

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

    // TEST_F(iommufd_ioas, hwpt_attach): a device attached directly to the existing HWPT.
    [Fact]
    public void Hwpt_attach()
    {
        Assert.Equal(Errno.None, MockDomain(HwptId, out _, out _, out _));
    }

    // TEST_F(iommufd_ioas, ioas_area_destroy): with a device the IOAS stays busy, mapped or not.
    [Fact]
    public void Ioas_area_destroy()
    {
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova));
        Assert.Equal(Errno.EBUSY, File.Destroy(Ioas));
    }

    // TEST_F(iommufd_ioas, ioas_area_auto_destroy): ten areas left for close() to tear down.
    [Fact]
    public void Ioas_area_auto_destroy()
    {
        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova + (i * PageSize)));
        }
    }

    // TEST_F(iommufd_ioas, get_hw_info), device branch.
    [Fact]
    public void Get_hw_info()
    {
        var exact = new UserBuffer(Process, PageSize);
        var larger = new UserBuffer(Process, PageSize);

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

    // TEST_F(iommufd_ioas, area)
    [Fact]
    public void Area()
    {
        // Unmap fails if nothing is mapped.
        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.ENOENT, Unmap(i * PageSize, PageSize));
        }

        // Unmap works.
        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova + (i * PageSize)));
        }

        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(BaseIova + (i * PageSize), PageSize));
        }

        // Split fails.
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize * 2, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (16 * PageSize), PageSize));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (17 * PageSize), PageSize));

        // Over map fails.
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 2, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize, BaseIova + (17 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 2, BaseIova + (15 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 3, BaseIova + (15 * PageSize)));

        // Unmap all works, also on an empty IOAS.
        Assert.Equal(Errno.None, Unmap(0, ulong.MaxValue));
        Assert.Equal(Errno.None, Unmap(0, ulong.MaxValue));
    }

    // TEST_F(iommufd_ioas, unmap_fully_contained_areas)
    [Fact]
    public void Unmap_fully_contained_areas()
    {
        BaseIova += 4 * PageSize;

        for (ulong i = 0; i != 4; i++)
        {
            Assert.Equal(Errno.None, MapFixed(Buffer, 8 * PageSize, BaseIova + (i * 16 * PageSize)));
        }

        // A range that cuts the first or the last area is refused.
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova - (4 * PageSize), 8 * PageSize));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (3 * 16 * PageSize) + (8 * PageSize) - (4 * PageSize), 8 * PageSize));

        // A range holding all four whole areas unmaps exactly their bytes.
        Assert.Equal(Errno.None, Unmap(Ioas, BaseIova - (4 * PageSize), (3 * 16 * PageSize) + (8 * PageSize) + (4 * PageSize), out var unmapped));
        Assert.Equal(32 * PageSize, unmapped);
    }

    // TEST_F(iommufd_ioas, area_auto_iova), device branch.
    [Fact]
    public void Area_auto_iova()
    {
        const ulong reservedStart = PageSize * 4;
        const ulong reservedLength = PageSize * 100;
        var ranges = new UserBuffer(Process, PageSize);
        var iovas = new ulong[10];

        // Simple pages.
        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Map(Buffer, PageSize, out iovas[i]));
        }

        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(iovas[i], PageSize));
        }

        // The kernel aligns automatic IOVAs to the length.
        for (var i = 0; i != 10; i++)
        {
            var length = PageSize * (ulong)(i + 1);
            Assert.Equal(Errno.None, Map(Buffer, length, out iovas[i]));
            Assert.Equal(0UL, iovas[i] % LowestSetBit(length));
        }

        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(iovas[i], PageSize * (ulong)(i + 1)));
        }

        // Automatic IOVAs avoid a reserved region.
        Assert.Equal(Errno.None, AddReserved(Ioas, reservedStart, reservedLength));
        for (var i = 0; i != 10; i++)
        {
            var length = PageSize * (ulong)(i + 1);
            Assert.Equal(Errno.None, Map(Buffer, length, out iovas[i]));
            Assert.Equal(0UL, iovas[i] % LowestSetBit(length));
            Assert.False(iovas[i] > reservedStart && iovas[i] < reservedStart + reservedLength, $"IOVA 0x{iovas[i]:X} is inside the reserved region");
        }

        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(iovas[i], PageSize * (ulong)(i + 1)));
        }

        // An allowed range may not intersect a reserved one.
        WriteRange(ranges, 0, PageSize, PageSize * 600);
        Assert.Equal(Errno.EADDRINUSE, File.IoasAllowIovas(Ioas, 1, ranges.Address));

        // Automatic IOVAs come from the allowed range.
        const ulong allowedStart = MockApertureStart + PageSize;
        const ulong allowedLast = MockApertureStart + (PageSize * 600) - 1;
        WriteRange(ranges, 0, allowedStart, allowedLast);
        Assert.Equal(Errno.None, File.IoasAllowIovas(Ioas, 1, ranges.Address));
        for (var i = 0; i != 10; i++)
        {
            var length = PageSize * (ulong)(i + 1);
            Assert.Equal(Errno.None, Map(Buffer, length, out iovas[i]));
            Assert.Equal(0UL, iovas[i] % LowestSetBit(length));
            Assert.True(iovas[i] >= allowedStart);
            Assert.True(iovas[i] <= allowedLast);
            Assert.True(iovas[i] + length > allowedStart);
            Assert.True(iovas[i] + length <= allowedLast + 1);
        }

        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(iovas[i], PageSize * (ulong)(i + 1)));
        }
    }

    // TEST_F(iommufd_ioas, reserved_overflow): the syzbot stimulus, 4 KiB PAGE_SIZE branch.
    [Fact]
    public void Reserved_overflow()
    {
        Assert.Equal(Errno.None, AddReserved(Ioas, 6, 0xffff_ffff_ffff_8001));
        Assert.Equal(Errno.ENOSPC, Map(Buffer, 0x5000, out _));
    }

    // TEST_F(iommufd_ioas, area_allowed)
    [Fact]
    public void Area_allowed()
    {
        var ranges = new UserBuffer(Process, PageSize);

        // A reservation may not intersect an allowed range.
        var start = BaseIova;
        var last = start + (PageSize * 600);
        WriteRange(ranges, 0, start, last);
        Assert.Equal(Errno.None, File.IoasAllowIovas(Ioas, 1, ranges.Address));
        Assert.Equal(Errno.EADDRINUSE, AddReserved(Ioas, start + PageSize, PageSize));
        Assert.Equal(Errno.None, File.IoasAllowIovas(Ioas, 0, ranges.Address));

        // And an allowed range may not intersect a reservation.
        Assert.Equal(Errno.None, AddReserved(Ioas, start + PageSize, PageSize));
        WriteRange(ranges, 0, BaseIova, BaseIova + (PageSize * 600));
        Assert.Equal(Errno.EADDRINUSE, File.IoasAllowIovas(Ioas, 1, ranges.Address));
    }

    // TEST_F(iommufd_ioas, copy_area): FIXED_IOVA | WRITEABLE, as in the newest selftest.
    [Fact]
    public void Copy_area()
    {
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova));

        // Inside one IOAS.
        var dstIova = BaseIova + PageSize;
        Assert.Equal(Errno.None, File.IoasCopy(CopyFlags, Ioas, Ioas, PageSize, BaseIova, ref dstIova));

        // Between two IOASes.
        var other = AllocIoas();
        dstIova = 0;
        Assert.Equal(Errno.None, File.IoasCopy(CopyFlags, other, Ioas, PageSize, BaseIova, ref dstIova));
    }

    // TEST_F(iommufd_ioas, iova_ranges), device branch: the mock aperture is the only range.
    [Fact]
    public void Iova_ranges()
    {
        const uint capacity = (uint)(BufferSize / IovaRangeSize);
        var cmd = new UserBuffer(Process, PageSize);
        cmd.U32(0, 32);
        cmd.U32(4, Ioas.Value);
        cmd.U32(8, capacity);
        cmd.U64(16, Buffer);

        // The range can be read.
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal((MockApertureStart, MockApertureLast), ReadRange(0));
        Assert.Equal(MockPageSize, cmd.U64(24));

        // Buffer too small.
        ClearBuffer();
        cmd.U32(8, 0);
        SyscallAssert.Fails(Errno.EMSGSIZE, Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal((0UL, 0UL), ReadRange(0));

        // A reservation outside the aperture changes nothing.
        Assert.Equal(Errno.None, AddReserved(Ioas, PageSize, PageSize));
        cmd.U32(8, capacity);
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal((MockApertureStart, MockApertureLast), ReadRange(0));

        // Room for exactly the one range.
        ClearBuffer();
        cmd.U32(8, 1);
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal((MockApertureStart, MockApertureLast), ReadRange(0));
        Assert.Equal((0UL, 0UL), ReadRange(1));
    }

    // TEST_F(iommufd_ioas, ioas_option_huge_pages)
    [Fact]
    public void Ioas_option_huge_pages()
    {
        ulong value = 3;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Get, ref value));
        Assert.Equal(1UL, value);

        value = 0;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref value));

        value = 3;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Get, ref value));
        Assert.Equal(0UL, value);

        value = 2;
        Assert.Equal(Errno.EINVAL, HugePages(IommuOptionOp.Set, ref value));

        value = 1;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref value));
    }

    // TEST_F(iommufd_ioas, ioas_iova_alloc): with mock domains only multiples of MOCK_PAGE_SIZE can be mapped.
    [Fact]
    public void Ioas_iova_alloc()
    {
        for (ulong length = 1; length != PageSize * 2; length++)
        {
            if (length % MockPageSize != 0)
            {
                var refused = Map(Buffer, length, out _);
                Assert.True(refused == Errno.EINVAL, $"automatic map of {length} bytes returned {refused}, the kernel answers EINVAL");
            }
            else
            {
                Assert.True(Map(Buffer, length, out var iova) == Errno.None, $"automatic map of {length} bytes");
                Assert.True(Unmap(iova, length) == Errno.None, $"unmap of {length} bytes at 0x{iova:X}");
            }
        }
    }

    // TEST_F(iommufd_ioas, copy_sweep): COPY a MOCK_PAGE_SIZE window at every 511-byte step across a mapping.
    [Fact]
    public void Copy_sweep()
    {
        const ulong length = MockPageSize;
        var dstIoas = AllocIoas();

        // With mock domains the source mapping covers the whole buffer.
        const ulong lastIova = MockApertureStart + BufferSize - 1;
        Assert.Equal(Errno.None, MapFixed(Buffer, lastIova - MockApertureStart + 1, MockApertureStart));

        for (var iova = MockApertureStart - PageSize; iova <= lastIova; iova += 511)
        {
            var dstIova = MockApertureStart;
            var result = File.IoasCopy(CopyFlags, dstIoas, Ioas, length, iova, ref dstIova);
            if (iova < MockApertureStart || iova + length - 1 > lastIova)
            {
                Assert.True(result == Errno.ENOENT, $"COPY from 0x{iova:X} returned {result}, the kernel answers ENOENT");
            }
            else
            {
                Assert.True(result == Errno.None, $"COPY from 0x{iova:X} returned {result}");
                Assert.Equal(Errno.None, Unmap(dstIoas, dstIova, length, out _));
            }
        }

        Assert.Equal(Errno.None, File.Destroy(dstIoas));
    }

    private static ulong LowestSetBit(ulong value) => 1UL << BitOperations.TrailingZeroCount(value);

    private static void WriteRange(UserBuffer ranges, int index, ulong start, ulong last)
    {
        var offset = (ulong)(index * IovaRangeSize);
        ranges.U64(offset, start);
        ranges.U64(offset + 8, last);
    }

    private static void WriteInvalidate(UserBuffer requests, int index, uint flags, uint iotlbId)
    {
        var offset = (ulong)index * InvalidateEntrySize;
        requests.U32(offset, flags);
        requests.U32(offset + 4, iotlbId);
    }

    private (ulong Start, ulong Last) ReadRange(int index)
    {
        var bytes = ReadUser(Buffer + (ulong)(index * IovaRangeSize), IovaRangeSize);
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
    }

    private void ClearBuffer() => WriteUser(Buffer, new byte[BufferSize]);

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
