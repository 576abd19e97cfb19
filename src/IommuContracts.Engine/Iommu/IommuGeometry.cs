namespace IommuContracts.Engine.Iommu;

/// <summary>What an IOMMU's paging domains look like: supported page sizes and the translatable aperture.</summary>
public sealed record IommuGeometry(ulong PageSizeBitmap, ulong ApertureStart, ulong ApertureLast)
{
    /// <summary>The selftest mock IOMMU: 2048-byte IO pages, aperture [1 &lt;&lt; 24, (1 &lt;&lt; 31) − 1].</summary>
    public static IommuGeometry Mock { get; } = new(MockIoPageSize, 1UL << 24, (1UL << 31) - 1);

    /// <summary>The mock with HUGE_IOVA: 1 MiB (512 × 2048) pages as well.</summary>
    public static IommuGeometry MockHuge { get; } = Mock with { PageSizeBitmap = MockIoPageSize | MockHugePageSize };

    /// <summary>A real-looking x86 IOMMU: 4 KiB, 2 MiB and 1 GiB pages, a 48-bit aperture.</summary>
    public static IommuGeometry RealLooking { get; } = new((4UL << 10) | (2UL << 20) | (1UL << 30), 0, (1UL << 48) - 1);

    /// <summary>The mock IOMMU's page size, 2048 bytes (MOCK_IO_PAGE_SIZE).</summary>
    public const ulong MockIoPageSize = 2048;

    /// <summary>The mock IOMMU's huge page size, 512 × 2048 bytes (MOCK_HUGE_PAGE_SIZE).</summary>
    public const ulong MockHugePageSize = 512 * MockIoPageSize;

    /// <summary>The smallest page size in <see cref="PageSizeBitmap"/>: the granule IOVAs and lengths must be aligned to.</summary>
    public ulong MinPageSize => PageSizeBitmap & (~PageSizeBitmap + 1);
}
