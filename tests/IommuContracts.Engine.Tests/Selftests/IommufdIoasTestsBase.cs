using System.Numerics;
using System.Runtime.InteropServices;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// The TEST_Fs of the kernel selftests' <c>iommufd_ioas</c> fixture that run for every variant, written once
/// as in the kernel: where the kernel branches on <c>self->stdev_id</c> or <c>variant->mock_domains</c>, so
/// does the port. Each variant derives from this class (<see cref="IommufdIoasNoDomainTests"/>,
/// <see cref="IommufdIoasMockDomainTestsBase"/>) and adds the tests whose whole body is one branch; the access
/// tests come from <see cref="IommufdIoasAccessTestsBase"/>.
/// </summary>
public abstract class IommufdIoasTestsBase : IommufdIoasAccessTestsBase
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;
    private const ulong MockApertureLast = SelftestConstants.MockApertureLast;
    private const uint IommuIoasIovaRanges = 0x3B84;
    private const int IovaRangeSize = 16;

    private static readonly IommuIoasMapFlags CopyFlags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Writeable;

    protected IommufdIoasTestsBase(int mockDomains, uint memoryLimit = 0, bool pasidCapable = false)
        : base(mockDomains, memoryLimit, pasidCapable)
    {
    }

    // TEST_F(iommufd_ioas, ioas_auto_destroy): the IOAS, and the devices of mock-domain variants, are left for
    // close() to destroy.
    [Fact]
    public void Ioas_auto_destroy()
    {
        Assert.True(Ioas.IsValid);
        if (MockDomains != 0)
        {
            Assert.True(StdevId.IsValid);
        }
    }

    // TEST_F(iommufd_ioas, ioas_destroy): an IOAS cannot be freed while a device's HWPT uses it; without a device
    // it can be destroyed by hand.
    [Fact]
    public void Ioas_destroy()
    {
        if (StdevId.IsValid)
        {
            Assert.Equal(Errno.EBUSY, File.Destroy(Ioas));
        }
        else
        {
            Assert.Equal(Errno.None, File.Destroy(Ioas));
        }
    }

    // TEST_F(iommufd_ioas, hwpt_attach): a device attached directly to the fixture's HWPT; without a mock domain
    // hwpt_id is 0, which names nothing.
    [Fact]
    public void Hwpt_attach()
    {
        if (StdevId.IsValid)
        {
            Assert.Equal(Errno.None, MockDomain(HwptId, out _, out _, out _));
        }
        else
        {
            Assert.Equal(Errno.ENOENT, MockDomain(HwptId, out _, out _, out _));
        }
    }

    // TEST_F(iommufd_ioas, ioas_area_destroy): with a device the IOAS stays busy, mapped or not; without one a
    // mapping does not stop it from being destroyed.
    [Fact]
    public void Ioas_area_destroy()
    {
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, BaseIova));
        if (StdevId.IsValid)
        {
            Assert.Equal(Errno.EBUSY, File.Destroy(Ioas));
        }
        else
        {
            Assert.Equal(Errno.None, File.Destroy(Ioas));
        }
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
        var ranges = new UserBuffer(Host, PageSize);
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
        var alignedUserVa = StdevId.IsValid ? Buffer : 1UL << 31;
        for (var i = 0; i != 10; i++)
        {
            var length = PageSize * (ulong)(i + 1);
            Assert.Equal(Errno.None, Map(alignedUserVa, length, out iovas[i]));
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

        // Automatic IOVAs come from the allowed range; with a device it must lie inside the mock aperture.
        var allowedStart = StdevId.IsValid ? MockApertureStart + PageSize : PageSize * 200;
        var allowedLast = StdevId.IsValid ? MockApertureStart + (PageSize * 600) - 1 : (PageSize * 600) - 1;
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
        var ranges = new UserBuffer(Host, PageSize);

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
    // Without a device the whole IOVA space is usable; with one, only the mock aperture is.
    [Fact]
    public void Iova_ranges()
    {
        const uint capacity = (uint)(BufferSize / IovaRangeSize);
        var aperture = new IommuIovaRange(MockApertureStart, MockApertureLast);

        // iommu_ioas_iova_ranges: size 0:4, ioas_id 4:4, num_iovas 8:4, __reserved 12:4,
        // allowed_iovas 16:8, out_iova_alignment 24:8.
        var cmd = new UserBuffer(Host, PageSize);
        cmd.U32(0, 32);
        cmd.U32(4, Ioas.Value);
        cmd.U32(8, capacity);
        cmd.U64(16, Buffer);

        // One range, with the alignment the domains need.
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        if (!StdevId.IsValid)
        {
            Assert.Equal(new IommuIovaRange(0, ulong.MaxValue), ReadRange(0));
            Assert.Equal(1UL, cmd.U64(24));
        }
        else
        {
            Assert.Equal(aperture, ReadRange(0));
            Assert.Equal(MockPageSize, cmd.U64(24));
        }

        // No room: EMSGSIZE with the count, and nothing written.
        ClearBuffer();
        cmd.U32(8, 0);
        SyscallAssert.Fails(Errno.EMSGSIZE, Ioctl(IommuIoasIovaRanges, cmd.Address));
        Assert.Equal(1u, cmd.U32(8));
        Assert.Equal(new IommuIovaRange(0, 0), ReadRange(0));

        // A reservation at PAGE_SIZE splits the device-less space in two and lies outside the mock aperture.
        Assert.Equal(Errno.None, AddReserved(Ioas, PageSize, PageSize));
        cmd.U32(8, capacity);
        SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
        if (!StdevId.IsValid)
        {
            Assert.Equal(2u, cmd.U32(8));
            Assert.Equal(new IommuIovaRange(0, PageSize - 1), ReadRange(0));
            Assert.Equal(new IommuIovaRange(PageSize * 2, ulong.MaxValue), ReadRange(1));
        }
        else
        {
            Assert.Equal(1u, cmd.U32(8));
            Assert.Equal(aperture, ReadRange(0));
        }

        // Room for one range: with two, the first is written and the count is the total; either way the
        // second slot is untouched.
        ClearBuffer();
        cmd.U32(8, 1);
        if (!StdevId.IsValid)
        {
            SyscallAssert.Fails(Errno.EMSGSIZE, Ioctl(IommuIoasIovaRanges, cmd.Address));
            Assert.Equal(2u, cmd.U32(8));
            Assert.Equal(new IommuIovaRange(0, PageSize - 1), ReadRange(0));
        }
        else
        {
            SyscallAssert.Succeeds(Ioctl(IommuIoasIovaRanges, cmd.Address));
            Assert.Equal(1u, cmd.U32(8));
            Assert.Equal(aperture, ReadRange(0));
        }

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

    // TEST_F(iommufd_ioas, ioas_iova_alloc): every length up to two pages gets an automatic IOVA, except that
    // mock domains only map multiples of MOCK_PAGE_SIZE.
    [Fact]
    public void Ioas_iova_alloc()
    {
        for (ulong length = 1; length != PageSize * 2; length++)
        {
            if (MockDomains != 0 && length % MockPageSize != 0)
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

        // With mock domains the source mapping covers the whole buffer; without, the kernel test ends it two
        // bytes short.
        var lastIova = MockApertureStart + BufferSize - (MockDomains != 0 ? 1UL : 2UL);
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
        => MemoryMarshal.Read<IommuIovaRange>(ReadUser(Buffer + (ulong)(index * IovaRangeSize), IovaRangeSize));

    private void ClearBuffer() => WriteUser(Buffer, new byte[BufferSize]);
}
