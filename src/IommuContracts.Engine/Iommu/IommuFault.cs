namespace IommuContracts.Engine.Iommu;

/// <summary>Why a device's DMA did not reach memory.</summary>
public enum IommuFaultReason
{
    /// <summary>The group is attached to the blocking domain (bound to iommufd, not attached).</summary>
    Blocked,

    /// <summary>Nothing is mapped at the IOVA in the attached domain.</summary>
    NotMapped,

    /// <summary>Mapped without the permission the access needs (a write to a read-only mapping).</summary>
    PermissionDenied,

    /// <summary>The group belongs to the kernel DMA API and the IOVA is not one of its mappings.</summary>
    DmaApiDomain,
}

/// <summary>A recorded IOMMU fault: which device, at which IOVA, reading or writing, and why.</summary>
public sealed record IommuFault(PciAddress Device, ulong Iova, bool Write, IommuFaultReason Reason);
