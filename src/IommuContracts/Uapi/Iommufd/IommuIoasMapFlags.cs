namespace IommuContracts.Uapi;

/// <summary>enum iommufd_ioas_map_flags: shared by MAP, COPY and MAP_FILE.</summary>
[Flags]
public enum IommuIoasMapFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>Map at the given IOVA instead of letting the kernel choose.</summary>
    FixedIova = 1 << 0,

    /// <summary>DMA may write the mapping.</summary>
    Writeable = 1 << 1,

    /// <summary>DMA may read the mapping.</summary>
    Readable = 1 << 2,
}
