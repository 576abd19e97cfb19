using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd_dirty_tracking</c> fixture, newest selftest: the small variants
/// (8K, 16K, 64K, 128K, 320K) and one large one (64M).
/// </summary>
/// <remarks>
/// Not ported: the 128M variant and the _huge variants (64M_huge, 128M_huge), which need the MOCK_IOMMUPT_HUGE
/// page table (1 MiB IO pages) of the newest mock driver. get_dirty_bitmap and get_dirty_bitmap_no_clear
/// allocate the dirty HWPT the newest way, with struct iommu_hwpt_selftest { .pagetable_type =
/// MOCK_IOMMUPT_DEFAULT } as driver data; the *_plain_alloc companions run the same TEST_F in the form kernels
/// before the generic-pt mock driver used (HWPT_ALLOC without driver data), which is otherwise identical.
/// </remarks>
public abstract class IommufdDirtyTrackingTestsBase : IommufdDirtyTrackingFixture
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;

    // MOCK_IOMMUPT_DEFAULT, and sizeof(struct iommu_hwpt_selftest) in the newest header.
    private const uint MockIommuptDefault = 0;
    private const uint HwptSelftestSize = 8;

    protected IommufdDirtyTrackingTestsBase(ulong bufferSize)
        : base(bufferSize)
    {
    }

    // TEST_F(iommufd_dirty_tracking, enforce_dirty)
    [Fact]
    public void Enforce_dirty()
    {
        // Regular case: a device without dirty tracking cannot join a dirty-tracking HWPT.
        Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.DirtyTracking, out var hwpt));
        Assert.Equal(Errno.None, MockDomain(hwpt, out var stddev, out _, out _));
        Assert.Equal(Errno.EINVAL, MockDomain(hwpt, out _, out _, out _, MockDeviceFlags.NoDirty));
        Assert.Equal(Errno.None, File.Destroy(stddev));
        Assert.Equal(Errno.None, File.Destroy(hwpt));

        // An IOMMU device that does not support dirty tracking.
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(ioas, out stddev, out _, out var idev, MockDeviceFlags.NoDirty));
        Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(idev, ioas, IommuHwptAllocFlags.DirtyTracking, out _));
        Assert.Equal(Errno.None, File.Destroy(stddev));
    }

    // TEST_F(iommufd_dirty_tracking, set_dirty_tracking)
    [Fact]
    public void Set_dirty_tracking()
    {
        Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.DirtyTracking, out var hwpt));
        Assert.Equal(Errno.None, MockDomain(hwpt, out var stddev, out _, out _));
        Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt));
        Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.None, hwpt));

        Assert.Equal(Errno.None, File.Destroy(stddev));
        Assert.Equal(Errno.None, File.Destroy(hwpt));
    }

    // TEST_F(iommufd_dirty_tracking, device_dirty_capability)
    [Fact]
    public void Device_dirty_capability()
    {
        Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.None, out var hwpt));
        Assert.Equal(Errno.None, MockDomain(hwpt, out var stddev, out _, out _));

        // test_cmd_get_hw_capabilities: DEFAULT type, no buffer.
        uint length = 0;
        var type = IommuHwInfoType.Default;
        Assert.Equal(Errno.None, File.GetHwInfo(IommuHwInfoFlags.None, IdevId, 0, ref length, ref type, out _, out var caps));
        Assert.Equal(IommuHwInfoType.Selftest, type);
        Assert.Equal(8u, length);
        Assert.Equal(IommuHwCapabilities.DirtyTracking, caps & IommuHwCapabilities.DirtyTracking);

        Assert.Equal(Errno.None, File.Destroy(stddev));
        Assert.Equal(Errno.None, File.Destroy(hwpt));
    }

    // TEST_F(iommufd_dirty_tracking, get_dirty_bitmap)
    [Fact]
    public void Get_dirty_bitmap() => GetDirtyBitmap(IommuHwptGetDirtyBitmapFlags.None, withPagetableData: true);

    // TEST_F(iommufd_dirty_tracking, get_dirty_bitmap_no_clear)
    [Fact]
    public void Get_dirty_bitmap_no_clear() => GetDirtyBitmap(IommuHwptGetDirtyBitmapFlags.NoClear, withPagetableData: true);

    // TEST_F(iommufd_dirty_tracking, get_dirty_bitmap) as kernels before the generic-pt mock wrote it.
    [Fact]
    public void Get_dirty_bitmap_plain_alloc() => GetDirtyBitmap(IommuHwptGetDirtyBitmapFlags.None, withPagetableData: false);

    // TEST_F(iommufd_dirty_tracking, get_dirty_bitmap_no_clear) as kernels before the generic-pt mock wrote it.
    [Fact]
    public void Get_dirty_bitmap_no_clear_plain_alloc() => GetDirtyBitmap(IommuHwptGetDirtyBitmapFlags.NoClear, withPagetableData: false);

    private void GetDirtyBitmap(IommuHwptGetDirtyBitmapFlags flags, bool withPagetableData)
    {
        // One mock PTE per MOCK_PAGE_SIZE: the non-huge variants.
        const ulong pteSize = MockPageSize;

        Assert.Equal(Errno.None, MapFixed(Ioas, TestBuffer, VariantBufferSize, MockApertureStart));

        HwptId hwpt;
        if (withPagetableData)
        {
            // test_cmd_hwpt_alloc_iommupt(..., IOMMU_HWPT_ALLOC_DIRTY_TRACKING, MOCK_IOMMUPT_DEFAULT, &hwpt_id)
            var config = new UserBuffer(Host, PageSize);
            config.U32(4, MockIommuptDefault);
            Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.DirtyTracking, IommuHwptDataType.Selftest, config.Address, HwptSelftestSize, out hwpt));
        }
        else
        {
            Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.DirtyTracking, out hwpt));
        }

        Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt));

        TestMockDirtyBitmaps(hwpt, VariantBufferSize, MockApertureStart, DirtyPageSize, pteSize, Bitmap, BitmapBits, flags);

        // PAGE_SIZE unaligned bitmap.
        TestMockDirtyBitmaps(hwpt, VariantBufferSize, MockApertureStart, DirtyPageSize, pteSize, Bitmap + MockPageSize, BitmapBits, flags);

        // u64 unaligned bitmap.
        TestMockDirtyBitmaps(hwpt, VariantBufferSize, MockApertureStart, DirtyPageSize, pteSize, Bitmap + 0xff1, BitmapBits, flags);

        Assert.Equal(Errno.None, File.Destroy(hwpt));
    }

    // _test_mock_dirty_bitmaps: mark the first PTE of every pair of PTEs dirty through the mock domain, read the
    // bitmap (exactly those bits), read it again (clear now, unless NO_CLEAR).
    private void TestMockDirtyBitmaps(HwptId hwpt, ulong length, ulong iova, ulong pageSize, ulong ptePageSize, ulong bitmap, ulong nbits, IommuHwptGetDirtyBitmapFlags flags)
    {
        var npte = ptePageSize / pageSize;
        var pteset = 2 * npte;
        var expectedDirty = nbits / pteset;
        if (expectedDirty == 0)
        {
            expectedDirty = 1;
        }

        var bitmapBytes = (int)((nbits + 7) / 8);

        // Mark all even bits as dirty in the mock domain.
        var bits = new byte[bitmapBytes];
        for (ulong i = 0; i < nbits; i += pteset)
        {
            bits[i / 8] |= (byte)(1 << (int)(i % 8));
        }

        WriteUser(bitmap, bits);
        Assert.Equal(Errno.None, MockDomainSetDirty(hwpt, length, iova, pageSize, bitmap, out var dirty));
        Assert.Equal(expectedDirty, dirty);

        // Expect all even bits as dirty in the user bitmap.
        WriteUser(bitmap, new byte[bitmapBytes]);
        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(hwpt, flags, iova, length, pageSize, bitmap));
        var read = ReadUser(bitmap, bitmapBytes);
        for (ulong i = 0; i < nbits; i += pteset)
        {
            for (ulong j = 0; j < pteset; j++)
            {
                Assert.True(TestBit(read, i + j) == (j < npte), $"bit {i + j} after the first read (bitmap at 0x{bitmap:X})");
            }
        }

        // Read already: all zeroes, unless NO_CLEAR left the bits set.
        WriteUser(bitmap, new byte[bitmapBytes]);
        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(hwpt, flags, iova, length, pageSize, bitmap));
        read = ReadUser(bitmap, bitmapBytes);
        var noClear = (flags & IommuHwptGetDirtyBitmapFlags.NoClear) != 0;
        for (ulong i = 0; i < nbits; i += pteset)
        {
            for (ulong j = 0; j < pteset; j++)
            {
                Assert.True(TestBit(read, i + j) == (j < npte && noClear), $"bit {i + j} after the second read (bitmap at 0x{bitmap:X})");
            }
        }
    }

    private static bool TestBit(byte[] bitmap, ulong bit) => (bitmap[bit / 8] & (1 << (int)(bit % 8))) != 0;
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty8k): half of a u8 bitmap.</summary>
public sealed class IommufdDirtyTracking8kTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking8kTests()
        : base(8UL * 1024)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty16k): one u8 bitmap.</summary>
public sealed class IommufdDirtyTracking16kTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking16kTests()
        : base(16UL * 1024)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty64k): one u32 bitmap.</summary>
public sealed class IommufdDirtyTracking64kTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking64kTests()
        : base(64UL * 1024)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty128k): one u64 bitmap.</summary>
public sealed class IommufdDirtyTracking128kTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking128kTests()
        : base(128UL * 1024)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty320k): two u64 and a trailing partial bitmap.</summary>
public sealed class IommufdDirtyTracking320kTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking320kTests()
        : base(320UL * 1024)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_dirty_tracking, domain_dirty64M): a 4 KiB bitmap (64M IOVA range).</summary>
public sealed class IommufdDirtyTracking64MTests : IommufdDirtyTrackingTestsBase
{
    public IommufdDirtyTracking64MTests()
        : base(64UL * 1024 * 1024)
    {
    }
}
