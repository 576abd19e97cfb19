using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_veventq_alloc: allocate a vIOMMU event queue and its file descriptor.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x93, Name = "IOMMU_VEVENTQ_ALLOC", StubName = "VeventqAlloc")]
public partial struct IommuVeventqAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuVeventqAllocFlags Flags;
    public ViommuId ViommuId;
    public IommuVeventqType Type;
    public uint VeventqDepth;
    [Output] public VeventqId OutVeventqId;
    [Output, LastMandatory] public int OutVeventqFd;
    [Reserved] public uint Reserved;
}

/// <summary>IOMMU_VEVENTQ_ALLOC takes no flags.</summary>
[Flags]
public enum IommuVeventqAllocFlags : uint
{
    None = 0,
}

/// <summary>enum iommu_veventq_type (plus the selftest driver's type).</summary>
public enum IommuVeventqType : uint
{
    Default = 0,
    ArmSmmuv3 = 1,
    Tegra241Cmdqv = 2,
    Selftest = 0xbeefbeef,
}
