namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_pgfault: one I/O page fault as read(2) returns it from a fault queue's fd (40 bytes).
/// Every fault of a group carries the group's <see cref="Cookie"/>; answer the group once with an
/// <see cref="IommuHwptPageResponse"/> carrying that cookie.
/// </summary>
public struct IommuHwptPgfault
{
    /// <summary>Combination of <see cref="IommuPgfaultFlags"/>.</summary>
    public IommuPgfaultFlags Flags;

    /// <summary>The faulting device's ID in the context.</summary>
    public DeviceId DevId;

    /// <summary>The process address space ID (valid with <see cref="IommuPgfaultFlags.PasidValid"/>).</summary>
    public uint Pasid;

    /// <summary>The page request group index.</summary>
    public uint Grpid;

    /// <summary>Combination of <see cref="IommuPgfaultPerm"/>.</summary>
    public IommuPgfaultPerm Perm;

    /// <summary>Must be 0.</summary>
    public uint Reserved;

    /// <summary>The fault address.</summary>
    public ulong Addr;

    /// <summary>A hint of the access range in bytes (0: unknown).</summary>
    public uint Length;

    /// <summary>Kernel-managed identifier of the fault group; echoed in the response.</summary>
    public uint Cookie;
}

/// <summary>enum iommu_hwpt_pgfault_flags.</summary>
[Flags]
public enum IommuPgfaultFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>IOMMU_PGFAULT_FLAGS_PASID_VALID: the PASID field is valid.</summary>
    PasidValid = 1 << 0,

    /// <summary>IOMMU_PGFAULT_FLAGS_LAST_PAGE: the last fault of its group.</summary>
    LastPage = 1 << 1,
}

/// <summary>enum iommu_hwpt_pgfault_perm: the access that faulted.</summary>
[Flags]
public enum IommuPgfaultPerm : uint
{
    /// <summary>No permission bit.</summary>
    None = 0,

    /// <summary>IOMMU_PGFAULT_PERM_READ.</summary>
    Read = 1 << 0,

    /// <summary>IOMMU_PGFAULT_PERM_WRITE.</summary>
    Write = 1 << 1,

    /// <summary>IOMMU_PGFAULT_PERM_EXEC.</summary>
    Exec = 1 << 2,

    /// <summary>IOMMU_PGFAULT_PERM_PRIV.</summary>
    Priv = 1 << 3,
}

/// <summary>struct iommu_hwpt_page_response: the answer to a fault group, write(2) to the fault queue's fd (8 bytes).</summary>
public struct IommuHwptPageResponse
{
    /// <summary>The cookie of the group being answered.</summary>
    public uint Cookie;

    /// <summary>The response code.</summary>
    public IommufdPageResponseCode Code;
}

/// <summary>enum iommufd_page_response_code.</summary>
public enum IommufdPageResponseCode : uint
{
    /// <summary>IOMMUFD_PAGE_RESP_SUCCESS: the fault was handled; the device retries the access.</summary>
    Success = 0,

    /// <summary>IOMMUFD_PAGE_RESP_INVALID: the fault could not be handled.</summary>
    Invalid = 1,
}
