using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_fault_alloc: allocate a fault queue object and its file descriptor.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8E, Name = "IOMMU_FAULT_QUEUE_ALLOC", StubName = "FaultQueueAlloc")]
public partial struct IommuFaultAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuFaultAllocFlags Flags;
    [Output] public FaultId OutFaultId;
    [Output, LastMandatory] public int OutFaultFd;
}

/// <summary>IOMMU_FAULT_QUEUE_ALLOC takes no flags.</summary>
[Flags]
public enum IommuFaultAllocFlags : uint
{
    None = 0,
}
