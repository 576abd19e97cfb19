namespace IommuContracts.Engine.Host;

/// <summary>MAP_* options of <see cref="SimulatedProcess.Mmap(ulong, MemoryProtection, MmapFlags, ulong)"/> and the file mmap.</summary>
[Flags]
public enum MmapFlags
{
    /// <summary>A private mapping (MAP_PRIVATE): writes to a file mapping go to private copies of its pages.</summary>
    None = 0,

    /// <summary>MAP_HUGETLB: 2 MiB physically contiguous compound pages (the mapping is 2 MiB aligned).</summary>
    HugeTlb = 1,

    /// <summary>MAP_SHARED: a file mapping sees and writes the file's own pages.</summary>
    Shared = 2,
}
