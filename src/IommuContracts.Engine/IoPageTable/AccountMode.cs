namespace IommuContracts.Engine.IoPageTable;

/// <summary>How pinned pages are charged against RLIMIT_MEMLOCK (IOPT_PAGES_ACCOUNT_*).</summary>
internal enum AccountMode
{
    /// <summary>Not charged: the creator had CAP_IPC_LOCK.</summary>
    None,

    /// <summary>Charged to the user's locked_vm (the default).</summary>
    User,

    /// <summary>Charged to the process's locked_vm (IOMMU_OPTION_RLIMIT_MODE = 1).</summary>
    Mm,
}
