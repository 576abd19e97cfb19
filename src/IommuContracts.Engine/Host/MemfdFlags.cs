namespace IommuContracts.Engine.Host;

/// <summary>MFD_* flags of <see cref="SimulatedProcess.MemfdCreate"/>.</summary>
[Flags]
public enum MemfdFlags : uint
{
    /// <summary>A shmem-backed memfd of 4 KiB pages.</summary>
    None = 0,

    /// <summary>MFD_CLOEXEC (recorded, exec is not modelled).</summary>
    CloExec = 1,

    /// <summary>MFD_ALLOW_SEALING (recorded, seals are not modelled).</summary>
    AllowSealing = 2,

    /// <summary>MFD_HUGETLB: hugetlbfs-backed, 2 MiB compound pages; sizes round up to 2 MiB.</summary>
    HugeTlb = 4,
}
