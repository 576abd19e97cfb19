using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>iommufd_dirty_tracking</c> fixture (non-huge variants): a THP-aligned buffer of
/// the variant's size, a bitmap of one bit per MOCK_PAGE_SIZE with a spare page for the unaligned cases, an
/// IOAS with IOMMU_OPTION_HUGE_PAGES off (so the IOMMU page size matches what the dirty logic expects), and a
/// mock device attached to it. Teardown frees both buffers, then runs the base teardown.
/// </summary>
public abstract class IommufdDirtyTrackingFixture : IommufdFixture
{
    /// <summary>MOCK_PAGE_SIZE.</summary>
    public const ulong MockPageSize = PageSize / 2;

    protected IommufdDirtyTrackingFixture(ulong bufferSize)
    {
        Assert.True(bufferSize >= MockPageSize, "the kernel skips variants smaller than MOCK_PAGE_SIZE");
        VariantBufferSize = bufferSize;
        TestBuffer = Host.Mmap(bufferSize, MemoryProtection.ReadWrite, MmapFlags.None, HugePageSize);

        DirtyPageSize = MockPageSize;
        BitmapBits = bufferSize / DirtyPageSize;
        BitmapBytes = (BitmapBits + 7) / 8;
        Bitmap = Host.Mmap(BitmapBytes + PageSize);

        Ioas = AllocIoas();
        ulong hugePages = 0;
        Assert.Equal(Errno.None, File.Option(IommuOptionId.HugePages, IommuOptionOp.Set, Ioas, ref hugePages));

        Assert.Equal(Errno.None, MockDomain(Ioas, out var stdev, out var hwpt, out var idev));
        StdevId = stdev;
        HwptId = hwpt;
        IdevId = idev;
    }

    /// <summary>variant->buffer_size.</summary>
    public ulong VariantBufferSize { get; }

    /// <summary>self->buffer.</summary>
    public ulong TestBuffer { get; }

    /// <summary>self->page_size: MOCK_PAGE_SIZE.</summary>
    public ulong DirtyPageSize { get; }

    /// <summary>self->bitmap_size: bits in the bitmap.</summary>
    public ulong BitmapBits { get; }

    /// <summary>DIV_ROUND_UP(bitmap_size, BITS_PER_BYTE).</summary>
    public ulong BitmapBytes { get; }

    /// <summary>self->bitmap: page aligned, BitmapBytes + PAGE_SIZE long.</summary>
    public ulong Bitmap { get; }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }

    /// <summary>self->stdev_id.</summary>
    public SelftestId StdevId { get; }

    /// <summary>self->hwpt_id.</summary>
    public HwptId HwptId { get; }

    /// <summary>self->idev_id.</summary>
    public DeviceId IdevId { get; }

    public override void Dispose()
    {
        Assert.Equal(Errno.None, Host.Munmap(TestBuffer, VariantBufferSize));
        Assert.Equal(Errno.None, Host.Munmap(Bitmap, BitmapBytes + PageSize));
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
