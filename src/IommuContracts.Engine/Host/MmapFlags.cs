namespace IommuContracts.Engine.Host;

/// <summary>MAP_* options of <see cref="SimulatedProcess.Mmap"/>.</summary>
[Flags]
public enum MmapFlags
{
    None = 0,

    /// <summary>MAP_HUGETLB: 2 MiB physically contiguous compound pages (the mapping is 2 MiB aligned).</summary>
    HugeTlb = 1,
}
