using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_veventq_alloc: allocate a vIOMMU event queue and its file descriptor.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x93, Name = "IOMMU_VEVENTQ_ALLOC", StubName = "VeventqAlloc")]
public partial struct IommuVeventqAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>No flags are defined; must be 0 (EOPNOTSUPP otherwise).</summary>
    [CheckedFlags] public IommuVeventqAllocFlags Flags;
    /// <summary>The vIOMMU whose events the queue reports.</summary>
    public ViommuId ViommuId;
    /// <summary>The event format; one queue per type and vIOMMU (EEXIST otherwise).</summary>
    public IommuVeventqType Type;
    /// <summary>The most events the queue holds before it drops new ones (and reports the loss); 0 is EINVAL.</summary>
    public uint VeventqDepth;
    /// <summary>Output: the ID of the new event queue.</summary>
    [Output] public VeventqId OutVeventqId;
    /// <summary>Output: the new file descriptor; read <see cref="IommufdVeventHeader"/>-prefixed events from it.</summary>
    [Output, LastMandatory] public int OutVeventqFd;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
}

/// <summary>IOMMU_VEVENTQ_ALLOC takes no flags.</summary>
[Flags]
public enum IommuVeventqAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
}

/// <summary>enum iommu_veventq_type (plus the selftest driver's type).</summary>
public enum IommuVeventqType : uint
{
    /// <summary>Reserved by the kernel; refused with EOPNOTSUPP.</summary>
    Default = 0,
    /// <summary>ARM SMMUv3 events (struct iommu_vevent_arm_smmuv3).</summary>
    ArmSmmuv3 = 1,
    /// <summary>NVIDIA Tegra241 CMDQV events (struct iommu_vevent_tegra241_cmdqv).</summary>
    Tegra241Cmdqv = 2,
    /// <summary>IOMMU_VEVENTQ_TYPE_SELFTEST: the mock driver's events.</summary>
    Selftest = 0xbeefbeef,
}
