namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// The kernel's published MAP figures (VFIO type1, 16 GiB, one domain, v6.16-rc4 base, as measured in Li Zhe's 2025
/// series "vfio/type1: optimize vfio_pin_pages_remote() for large folios", before that series). iommufd has no published MAP throughput, so type1
/// is the closest reference. Rates are in 4 KiB pages per second so that 4 KiB and 2 MiB backings compare
/// on the same bytes; the 2 MiB figure writes one IOMMU PTE per 512 of those pages.
/// </summary>
public static class KernelFigures
{
    /// <summary>16 GiB in 4 KiB pages.</summary>
    public const double SixteenGiBPages = 16.0 * (1 << 30) / 4096;

    /// <summary>type1 MAP of 16 GiB, 4 KiB pages (MAP_POPULATE): 0.280 s.</summary>
    public const double Type1Map4KiBSeconds = 0.280;

    /// <summary>type1 MAP of 16 GiB, hugetlbfs 2 MiB pages: 0.052 s.</summary>
    public const double Type1MapHugetlb2MiBSeconds = 0.052;

    /// <summary>≈ 15.0 M pages/s: pin + IOMMU map, 4 KiB pages and PTEs.</summary>
    public const double Type1Map4KiBPagesPerSecond = SixteenGiBPages / Type1Map4KiBSeconds;

    /// <summary>≈ 80.7 M (4 KiB) pages/s, ≈ 158 K 2 MiB PTEs/s.</summary>
    public const double Type1MapHugetlb2MiBPagesPerSecond = SixteenGiBPages / Type1MapHugetlb2MiBSeconds;
}
