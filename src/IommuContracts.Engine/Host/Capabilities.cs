namespace IommuContracts.Engine.Host;

/// <summary>The capabilities iommufd consults.</summary>
[Flags]
public enum Capabilities
{
    /// <summary>No capabilities: an unprivileged process.</summary>
    None = 0,

    /// <summary>CAP_SYS_RESOURCE: may change IOMMU_OPTION_RLIMIT_MODE.</summary>
    SysResource = 1,

    /// <summary>CAP_IPC_LOCK: pinned pages are not charged against RLIMIT_MEMLOCK.</summary>
    IpcLock = 2,

    /// <summary>CAP_SYS_RAWIO: needed for VFIO no-IOMMU mode.</summary>
    SysRawio = 4,

    /// <summary>What the kernel selftests run with (root).</summary>
    Root = SysResource | IpcLock | SysRawio,
}
