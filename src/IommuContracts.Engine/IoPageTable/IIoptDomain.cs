namespace IommuContracts.Engine.IoPageTable;

/// <summary>What an io_pagetable needs from an attached IOMMU domain: its geometry and map / unmap of physical runs.</summary>
internal interface IIoptDomain
{
    /// <summary>The smallest IO page size (a power of two); the IOAS's IOVA alignment is at least this.</summary>
    ulong MinPageSize { get; }

    ulong ApertureStart { get; }

    ulong ApertureLast { get; }

    /// <summary>Maps the physically contiguous run [physical, physical + length) at iova.</summary>
    Errno Map(ulong iova, ulong physical, ulong length, IommuProt prot);

    /// <summary>Unmaps exactly what was mapped in [iova, iova + length).</summary>
    void Unmap(ulong iova, ulong length);
}
