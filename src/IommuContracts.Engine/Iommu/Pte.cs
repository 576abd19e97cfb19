namespace IommuContracts.Engine.Iommu;

/// <summary>
/// An IO page table entry: the physical address (aligned to the smallest IO page) with flag bits below it.
/// START / LAST mark the first and last IO page of one map call, as the selftest mock driver records, so
/// that unmaps which do not match maps are caught.
/// </summary>
internal static class Pte
{
    public const ulong Present = 1 << 0;
    public const ulong Read = 1 << 1;
    public const ulong Write = 1 << 2;
    public const ulong Start = 1 << 3;
    public const ulong Last = 1 << 4;
    public const ulong Dirty = 1 << 5;
    public const ulong FlagMask = 0x3F;

    public static ulong Physical(ulong entry) => entry & ~FlagMask;

    public static bool Has(ulong entry, ulong flag) => (entry & flag) != 0;
}
