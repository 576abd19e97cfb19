using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_hw_queue_alloc: hand a guest queue in the nesting parent's IOAS to the vIOMMU hardware.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x94, Name = "IOMMU_HW_QUEUE_ALLOC", StubName = "HwQueueAlloc")]
public partial struct IommuHwQueueAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>No flags are defined; must be 0 (EOPNOTSUPP otherwise).</summary>
    [CheckedFlags] public IommuHwQueueAllocFlags Flags;
    /// <summary>The vIOMMU the queue belongs to.</summary>
    public ViommuId ViommuId;
    /// <summary>The kind of hardware queue; it must be one the vIOMMU's driver supports.</summary>
    public IommuHwQueueType Type;
    /// <summary>The queue's index among the vIOMMU's queues of this type.</summary>
    public uint Index;
    /// <summary>Output: the ID of the new hardware queue object.</summary>
    [Output] public HwQueueId OutHwQueueId;
    /// <summary>The queue memory's base address in the nesting parent's IOAS (a guest physical address).</summary>
    public ulong NestingParentIova;
    /// <summary>The queue memory's length in bytes.</summary>
    [LastMandatory] public ulong Length;
}

/// <summary>IOMMU_HW_QUEUE_ALLOC takes no flags.</summary>
[Flags]
public enum IommuHwQueueAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
}

/// <summary>enum iommu_hw_queue_type (plus the selftest driver's type).</summary>
public enum IommuHwQueueType : uint
{
    /// <summary>Reserved by the kernel; refused with EOPNOTSUPP.</summary>
    Default = 0,
    /// <summary>An NVIDIA Tegra241 CMDQV virtual command queue.</summary>
    Tegra241CmdqvCmdq = 1,
    /// <summary>IOMMU_HW_QUEUE_TYPE_SELFTEST: the mock driver's queue.</summary>
    Selftest = 0xdeadbeef,
}
