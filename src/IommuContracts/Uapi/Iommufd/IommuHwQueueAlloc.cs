using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_hw_queue_alloc: hand a guest queue in the nesting parent's IOAS to the vIOMMU hardware.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x94, Name = "IOMMU_HW_QUEUE_ALLOC", StubName = "HwQueueAlloc")]
public partial struct IommuHwQueueAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuHwQueueAllocFlags Flags;
    public ViommuId ViommuId;
    public IommuHwQueueType Type;
    public uint Index;
    [Output] public HwQueueId OutHwQueueId;
    public ulong NestingParentIova;
    [LastMandatory] public ulong Length;
}

/// <summary>IOMMU_HW_QUEUE_ALLOC takes no flags.</summary>
[Flags]
public enum IommuHwQueueAllocFlags : uint
{
    None = 0,
}

/// <summary>enum iommu_hw_queue_type (plus the selftest driver's type).</summary>
public enum IommuHwQueueType : uint
{
    Default = 0,
    Tegra241CmdqvCmdq = 1,
    Selftest = 0xdeadbeef,
}
