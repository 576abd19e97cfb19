using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_fault_alloc: allocate a fault queue object and its file descriptor.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8E, Name = "IOMMU_FAULT_QUEUE_ALLOC", StubName = "FaultQueueAlloc")]
public partial struct IommuFaultAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>No flags are defined; must be 0 (EOPNOTSUPP otherwise).</summary>
    [CheckedFlags] public IommuFaultAllocFlags Flags;
    /// <summary>Output: the ID of the new fault queue, to pass as a HWPT's <c>fault_id</c>.</summary>
    [Output] public FaultId OutFaultId;
    /// <summary>Output: the new file descriptor; read <c>struct iommu_hwpt_pgfault</c> records from it and write responses to it.</summary>
    [Output, LastMandatory] public int OutFaultFd;
}

/// <summary>IOMMU_FAULT_QUEUE_ALLOC takes no flags.</summary>
[Flags]
public enum IommuFaultAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
}
