using System.Numerics;
using System.Runtime.InteropServices;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd_ioas</c> fixture, <c>no_domain</c> variant: one IOAS, no mock
/// device or domain, base IOVA 0. Each test follows the kernel TEST_F of the same name, taking the branch
/// the kernel takes when <c>self->stdev_id</c> / <c>self->device_id</c> are 0.
/// </summary>
/// <remarks>
/// The access tests of this variant live in <see cref="IommufdIoasNoDomainAccessTests"/> and the mock-domain
/// variants in their own classes. Not ported: fork_gone and fork_present (fork), dmabuf_simple,
/// dmabuf_multi_page and dmabuf_revoke (dma-buf test ops, outside the current scope).
/// </remarks>
public class IommufdIoasNoDomainTests : IommufdIoasFixture
{
    private const uint IommuIoasIovaRanges = 0x3B84;
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;
    private const int IovaRangeSize = 16;

    private static readonly IommuIoasMapFlags CopyFlags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Writeable;

    // TEST_F(iommufd_ioas, ioas_auto_destroy): the IOAS is left for close() to destroy.
    [Fact]
    public void Ioas_auto_destroy()
    {
        Assert.True(Ioas.IsValid);
    }

    // TEST_F(iommufd_ioas, ioas_destroy): without a device the IOAS can be destroyed by hand.
    [Fact]
    public void Ioas_destroy()
    {
        Assert.Equal(Errno.None, File.Destroy(Ioas));
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), no_domain branch, HWPT_ALLOC half: device_id and parent are 0.
    [Fact]
    public void Alloc_hwpt_nested_without_device_allocates_nothing()
    {
        // struct iommu_hwpt_selftest of the newest header: iotlb, pagetable_type.
        var data = new UserBuffer(Process, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        const uint dataLength = 8;

        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, Ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _));
        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, ObjectId.None, IommuHwptDataType.Selftest, dataLength, data.Address, FaultId.None, out _));
        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, ObjectId.None, IommuHwptDataType.Selftest, dataLength, data.Address, FaultId.None, out _));
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), no_domain branch, replace half: stdev_id and nested IDs are 0.
    [Fact]
    public void Alloc_hwpt_nested_without_device_replaces_nothing()
    {
        Assert.Equal(Errno.ENOENT, MockDomainReplace(ObjectId.None, ObjectId.None));
        Assert.Equal(Errno.ENOENT, MockDomainReplace(ObjectId.None, ObjectId.None));
    }

    // TEST_F(iommufd_ioas, hwpt_attach), no_domain branch: MOCK_DOMAIN on hwpt_id 0.
    [Fact]
    public void Hwpt_attach()
    {
        var payload = new IommuTestPayload();
        Assert.Equal(Errno.ENOENT, File.TestCmd(IommuTestOp.MockDomain, ObjectId.None, ref payload));
    }

    // TEST_F(iommufd_ioas, ioas_area_destroy): a mapping does not stop a device-less IOAS from being destroyed.
    [Fact]
    public void Ioas_area_destroy()
    {
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova));
        Assert.Equal(Errno.None, File.Destroy(Ioas));
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

    // TEST_F(iommufd_ioas, get_hw_info), no-device branch: device_id 0, exact and larger user buffers.
    [Fact]
    public void Get_hw_info()
    {
        var exact = new UserBuffer(Process, PageSize);
        var larger = new UserBuffer(Process, PageSize);

        // struct iommu_test_hw_info is 8 bytes; the larger buffer adds a trailing u64.
        Assert.Equal(Errno.ENOENT, GetHwInfo(exact.Address, 8));
        Assert.Equal(Errno.ENOENT, GetHwInfo(larger.Address, 16));
    }

    // TEST_F(iommufd_ioas, area)
    [Fact]
    public void Area()
    {
        // Nothing is mapped yet.
        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.ENOENT, Unmap(i * PageSize, PageSize));
        }

        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova + (i * PageSize)));
        }

        for (ulong i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(BaseIova + (i * PageSize), PageSize));
        }

        // An area is never split by unmap.
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize * 2, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (16 * PageSize), PageSize));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (17 * PageSize), PageSize));

        // Any overlap with the area is refused.
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 2, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize, BaseIova + (16 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize, BaseIova + (17 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 2, BaseIova + (15 * PageSize)));
        Assert.Equal(Errno.EEXIST, MapFixed(Buffer, PageSize * 3, BaseIova + (15 * PageSize)));

        // (0, U64_MAX) unmaps everything, and succeeds again on an empty IOAS.
        Assert.Equal(Errno.None, Unmap(0, ulong.MaxValue));
        Assert.Equal(Errno.None, Unmap(0, ulong.MaxValue));
    }

    // TEST_F(iommufd_ioas, unmap_fully_contained_areas)
    [Fact]
    public void Unmap_fully_contained_areas()
    {
        // Room below the first area so the unmap range can start before it.
        BaseIova += 4 * PageSize;

        for (ulong i = 0; i != 4; i++)
        {
            Assert.Equal(Errno.None, MapFixed(Buffer, 8 * PageSize, BaseIova + (i * 16 * PageSize)));
        }

        // A range that cuts the first or the last area is refused.
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova - (4 * PageSize), 8 * PageSize));
        Assert.Equal(Errno.ENOENT, Unmap(BaseIova + (3 * 16 * PageSize) + (8 * PageSize) - (4 * PageSize), 8 * PageSize));

        // A range holding all four whole areas (and holes) unmaps exactly their bytes.
        Assert.Equal(Errno.None, Unmap(Ioas, BaseIova - (4 * PageSize), (3 * 16 * PageSize) + (8 * PageSize) + (4 * PageSize), out var unmapped));
        Assert.Equal(32 * PageSize, unmapped);
    }

    // TEST_F(iommufd_ioas, area_auto_iova)
    [Fact]
    public void Area_auto_iova()
    {
        const ulong reservedStart = PageSize * 4;
        const ulong reservedLength = PageSize * 100;
        var ranges = new UserBuffer(Process, PageSize);
        var iovas = new ulong[10];

        // Single pages.
        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Map(Buffer, PageSize, out iovas[i]));
        }

        for (var i = 0; i != 10; i++)
        {
            Assert.Equal(Errno.None, Unmap(iovas[i], PageSize));
        }

        // The kernel aligns automatic IOVAs to the length. Without a domain nothing is pinned at map time,
        // so the kernel test maps an address that is not even mapped in the process (1 << 31).
        for (var i = 0; i != 10; i++)
        {
            var length = PageSize * (ulong)(i + 1);
            Assert.Equal(Errno.None, Map(1UL << 31, length, out iovas[i]));
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
        const ulong allowedStart = PageSize * 200;
        const ulong allowedLast = (PageSize * 600) - 1;
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

    // TEST_F(iommufd_ioas, iova_ranges): the global buffer receives the ranges; one iommu_ioas_iova_ranges reused.
    [Fact]
    public void Iova_ranges()
    {
        const uint capacity = (uint)(BufferSize / IovaRangeSize);

        // iommu_ioas_iova_ranges: size 0:4, ioas_id 4:4, num_iovas 8:4, __reserved 12:4,
        // allowed_iovas 16:8, out_iova_alignment 24:8.
        var cmd = new UserBuffer(Process, PageSize);
        cmd.U32(0, 32);
        cmd.U32(4, Ioas.Value);
        cmd.U32(8, capacity);
        cmd.U64(16, Buffer);

        // One range: everything.
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal(new IommuIovaRange(0, ulong.MaxValue), ReadRange(0));
        Assert.Equal(1UL, cmd.U64(24));

        // No room: EMSGSIZE with the count, and nothing written.
        ClearBuffer();
        cmd.U32(8, 0);
        SyscallAssert.Fails(Errno.EMSGSIZE, Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal(new IommuIovaRange(0, 0), ReadRange(0));

        // A reservation in the middle makes two ranges.
        Assert.Equal(Errno.None, AddReserved(Ioas, PageSize, PageSize));
        cmd.U32(8, capacity);
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(2u, cmd.U32(8));
        Assert.Equal(new IommuIovaRange(0, PageSize - 1), ReadRange(0));
        Assert.Equal(new IommuIovaRange(PageSize * 2, ulong.MaxValue), ReadRange(1));

        // Room for one of two: the first is written, the count is the total, the second slot is untouched.
        ClearBuffer();
        cmd.U32(8, 1);
        SyscallAssert.Fails(Errno.EMSGSIZE, Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(2u, cmd.U32(8));
        Assert.Equal(new IommuIovaRange(0, PageSize - 1), ReadRange(0));
        Assert.Equal(new IommuIovaRange(0, 0), ReadRange(1));
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

    // TEST_F(iommufd_ioas, ioas_iova_alloc): every length up to two pages gets an automatic IOVA without a domain.
    [Fact]
    public void Ioas_iova_alloc()
    {
        for (ulong length = 1; length != PageSize * 2; length++)
        {
            Assert.True(Map(Buffer, length, out var iova) == Errno.None, $"automatic map of {length} bytes");
            Assert.True(Unmap(iova, length) == Errno.None, $"unmap of {length} bytes at 0x{iova:X}");
        }
    }

    // TEST_F(iommufd_ioas, ioas_align_change): only the no-domain variant runs it.
    [Fact]
    public void Ioas_align_change()
    {
        ulong pageAligned = 0;

        // Raising the alignment to PAGE_SIZE works while every area is page aligned.
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, MockApertureStart));
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref pageAligned));

        // A mapping whose user address is not page aligned is then refused.
        Assert.Equal(Errno.EINVAL, MapFixed(Buffer + MockPageSize, PageSize, MockApertureStart + PageSize));
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref pageAligned));

        // Back to byte alignment.
        ulong any = 1;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref any));

        // With a misaligned area present the alignment cannot be raised again.
        Assert.Equal(Errno.None, MapFixed(Buffer + MockPageSize, PageSize, MockApertureStart + PageSize));
        pageAligned = 0;
        Assert.Equal(Errno.EADDRINUSE, HugePages(IommuOptionOp.Set, ref pageAligned));

        Assert.Equal(Errno.None, Unmap(MockApertureStart + PageSize, PageSize));
        Assert.Equal(Errno.None, Unmap(MockApertureStart, PageSize));
    }

    // TEST_F(iommufd_ioas, copy_sweep): COPY a MOCK_PAGE_SIZE window at every 511-byte step across a mapping.
    [Fact]
    public void Copy_sweep()
    {
        const ulong length = MockPageSize;
        var dstIoas = AllocIoas();

        // Without a domain the source mapping ends two bytes short of the buffer.
        const ulong lastIova = MockApertureStart + BufferSize - 2;
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

    private IommuIovaRange ReadRange(int index)
    {
        var bytes = new byte[IovaRangeSize];
        Assert.Equal(Errno.None, Process.Read(Buffer + (ulong)(index * IovaRangeSize), bytes));
        return MemoryMarshal.Read<IommuIovaRange>(bytes);
    }

    private void ClearBuffer() => Assert.Equal(Errno.None, Process.Write(Buffer, new byte[BufferSize]));

    private Errno MockDomainReplace(ObjectId stdev, ObjectId ptId)
    {
        var payload = new IommuTestPayload { MockDomainReplace = new TestMockDomainReplace { PtId = ptId } };
        return File.TestCmd(IommuTestOp.MockDomainReplace, stdev, ref payload);
    }

    // _test_cmd_get_hw_info with IOMMU_HW_INFO_TYPE_DEFAULT (no INPUT_TYPE flag).
    private Errno GetHwInfo(ulong data, uint dataLength)
    {
        var type = IommuHwInfoType.Default;
        return File.GetHwInfo(IommuHwInfoFlags.None, DeviceId.None, data, ref dataLength, ref type, out _, out _);
    }
}
