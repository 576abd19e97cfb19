using IommuContracts.Uapi;

namespace IommuContracts.Engine.Iommu;

/// <summary>
/// A page request a device sends when its DMA faults on an address it may ask to have mapped (PCI PRI; the
/// kernel's iommu_fault_page_request). Requests with the same group index form a group that ends with the
/// one flagged <see cref="IommuPgfaultFlags.LastPage"/>; the group is answered once.
/// </summary>
/// <param name="Flags">PASID_VALID and LAST_PAGE (the uapi values).</param>
/// <param name="Pasid">The PASID of the access, when <see cref="IommuPgfaultFlags.PasidValid"/>.</param>
/// <param name="GroupId">The page request group index.</param>
/// <param name="Permissions">The access that faulted.</param>
/// <param name="Address">The faulting address.</param>
public readonly record struct IommuPageRequest(IommuPgfaultFlags Flags, uint Pasid, uint GroupId, IommuPgfaultPerm Permissions, ulong Address);

/// <summary>The answer a device received for one page request group (iommu_page_response).</summary>
/// <param name="GroupId">The group index answered.</param>
/// <param name="Pasid">The PASID of the group.</param>
/// <param name="PasidValid">The group carried a PASID.</param>
/// <param name="Code">SUCCESS (retry the access), INVALID, or FAILURE when nobody could handle the group.</param>
public readonly record struct IommuPageResponse(uint GroupId, uint Pasid, bool PasidValid, IommuPageResponseCode Code);

/// <summary>enum iommu_page_response_code: how the kernel answers a device's page request group.</summary>
public enum IommuPageResponseCode
{
    /// <summary>IOMMU_PAGE_RESP_SUCCESS: the fault was resolved; retry the access.</summary>
    Success = 0,

    /// <summary>IOMMU_PAGE_RESP_INVALID: the fault could not be resolved; do not retry.</summary>
    Invalid = 1,

    /// <summary>IOMMU_PAGE_RESP_FAILURE: the request could not be handled at all (no handler, out of memory).</summary>
    Failure = 2,
}
