namespace IommuContracts.Engine.Faults;

/// <summary>Places inside the engine where a test can hold a thread to play a race in a fixed order.</summary>
internal enum InterleavingPoint
{
    /// <summary>A device's DMA has translated its first IOVA and not yet touched the memory behind it.</summary>
    DmaTranslated,

    /// <summary>An attach or replace has put the group on a new automatic HWPT that is not yet published.</summary>
    AutoDomainBeforePublish,

    /// <summary>An attach or replace holds a short-term reference on an existing automatic HWPT and has not yet tried it.</summary>
    AutoDomainTriesExisting,

    /// <summary>An access read/write found a page pinned and has not yet copied through it.</summary>
    AccessRwPinnedPage,

    /// <summary>A lookup has found the object alive and taken its long-term reference, not yet its short-term one.</summary>
    LookupTookUser,

    /// <summary>A driver destroying an object it owns has found it in the table and not yet dropped the table's short-term bias.</summary>
    OwnerRemoveFound,
}
