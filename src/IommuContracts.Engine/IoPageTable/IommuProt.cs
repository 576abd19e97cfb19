namespace IommuContracts.Engine.IoPageTable;

/// <summary>IOMMU_READ / IOMMU_WRITE / IOMMU_CACHE of a mapping.</summary>
[Flags]
internal enum IommuProt
{
    None = 0,
    Read = 1,
    Write = 2,
    Cache = 4,
}
