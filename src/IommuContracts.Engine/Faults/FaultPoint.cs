namespace IommuContracts.Engine.Faults;

/// <summary>The fallible internal steps that a test can make fail, and the errno each failure returns.</summary>
public enum FaultPoint
{
    /// <summary>Reserving an object ID (xa_alloc): ENOMEM.</summary>
    ObjectIdReserve,

    /// <summary>Allocating an object or an internal structure (kzalloc): ENOMEM.</summary>
    Allocation,

    /// <summary>Inserting into an interval tree: ENOMEM.</summary>
    IntervalInsert,

    /// <summary>Pinning user pages (pin_user_pages): EFAULT.</summary>
    PinPages,

    /// <summary>Charging pinned pages to RLIMIT_MEMLOCK: ENOMEM.</summary>
    Accounting,

    /// <summary>Mapping into an IOMMU domain: ENOMEM.</summary>
    DomainMap,

    /// <summary>Enforcing a device's reserved regions: EINVAL.</summary>
    ReservedRegions,
}
