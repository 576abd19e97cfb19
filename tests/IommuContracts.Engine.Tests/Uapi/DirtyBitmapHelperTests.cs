using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Uapi;

/// <summary>
/// The IOMMU_HWPT_GET_DIRTY_BITMAP helpers on the engine: 64 KiB mapped in a dirty-tracking HWPT of the mock
/// (one bit per 2 KiB mock page, 32 bits), some pages marked dirty through IOMMU_TEST_OP_DIRTY, read back as
/// u64 words.
/// </summary>
public sealed class DirtyBitmapHelperTests : IommufdDirtyTrackingFixture
{
    private const ulong Iova = SelftestConstants.MockApertureStart;
    private const ulong Length = 64 * 1024;
    private const ulong DirtyBits = (1UL << 0) | (1UL << 5) | (1UL << 31);

    private readonly HwptId _hwpt;

    public DirtyBitmapHelperTests()
        : base(Length)
    {
        Assert.Equal(Errno.None, MapFixed(Ioas, TestBuffer, Length, Iova));
        Assert.Equal(Errno.None, HwptAlloc(IdevId, Ioas, IommuHwptAllocFlags.DirtyTracking, out _hwpt));
        Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, _hwpt));
        WriteUser(Bitmap, BitConverter.GetBytes(DirtyBits));
        Assert.Equal(Errno.None, MockDomainSetDirty(_hwpt, Length, Iova, DirtyPageSize, Bitmap, out var dirty));
        Assert.Equal(3UL, dirty);
    }

    [Fact]
    public void The_array_holds_exactly_the_dirty_pages_and_a_second_read_finds_them_cleared()
    {
        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, out ulong[] bitmap));
        Assert.Equal([DirtyBits], bitmap);

        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, out bitmap));
        Assert.Equal([0UL], bitmap);
    }

    [Fact]
    public void No_clear_leaves_the_bits_for_the_next_read()
    {
        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.NoClear, Iova, Length, DirtyPageSize, out ulong[] bitmap));
        Assert.Equal([DirtyBits], bitmap);
        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, out bitmap));
        Assert.Equal([DirtyBits], bitmap);
    }

    [Fact]
    public void The_span_overload_sets_dirty_bits_and_keeps_the_others_as_the_kernel_does()
    {
        Span<ulong> bitmap = [1UL << 7, 0xFFFF_FFFF_0000_0000];

        Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, bitmap));

        // Only the words the range needs are handed to the kernel: the second one is untouched.
        Assert.Equal(DirtyBits | (1UL << 7), bitmap[0]);
        Assert.Equal(0xFFFF_FFFF_0000_0000, bitmap[1]);
    }

    [Fact]
    public void Words_are_counted_per_page_rounding_up()
    {
        Assert.Equal(1UL, IommuHwptGetDirtyBitmap.BitmapWords(Length, DirtyPageSize));
        Assert.Equal(1UL, IommuHwptGetDirtyBitmap.BitmapWords(64 * 4096, 4096));
        Assert.Equal(2UL, IommuHwptGetDirtyBitmap.BitmapWords(65 * 4096, 4096));
        Assert.Equal(2UL, IommuHwptGetDirtyBitmap.BitmapWords((64 * 4096) + 1, 4096));
        Assert.Equal(0UL, IommuHwptGetDirtyBitmap.BitmapWords(0, 4096));
        Assert.Equal(0UL, IommuHwptGetDirtyBitmap.BitmapWords(4096, 0));
    }

    [Fact]
    public void A_span_too_small_for_the_range_throws_before_any_ioctl()
    {
        var file = new InterceptingFile(File);

        var thrown = Assert.Throws<ArgumentException>(() => file.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, 2 * 64 * DirtyPageSize, DirtyPageSize, new ulong[1]));

        Assert.Equal("bitmap", thrown.ParamName);
        Assert.Empty(file.Commands);
    }

    [Fact]
    public void The_kernels_errno_comes_back_with_an_empty_bitmap()
    {
        // Page size 0, a misaligned IOVA, a range that is not mapped, an unknown HWPT, tracking off.
        Assert.Equal(Errno.EINVAL, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, 0, out ulong[] bitmap));
        Assert.Empty(bitmap);
        Assert.Equal(Errno.EINVAL, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova + 1, Length, DirtyPageSize, out bitmap));
        Assert.Equal(Errno.EINVAL, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova + Length, Length, DirtyPageSize, out bitmap));
        Assert.Equal(Errno.ENOENT, File.HwptGetDirtyBitmap(new HwptId(999), IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, out bitmap));
        Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.None, _hwpt));
        Assert.Equal(Errno.EINVAL, File.HwptGetDirtyBitmap(_hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, Length, DirtyPageSize, out bitmap));
        Assert.Empty(bitmap);
    }

    public override void Dispose()
    {
        Assert.Equal(Errno.None, File.Destroy(_hwpt));
        Assert.Equal(Errno.None, Unmap(Ioas, Iova, Length, out _));
        base.Dispose();
    }
}
