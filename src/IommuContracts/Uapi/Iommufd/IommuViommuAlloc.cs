using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_viommu_alloc: allocate a virtual IOMMU on a nesting-parent HWPT.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x90, Name = "IOMMU_VIOMMU_ALLOC", StubName = "ViommuAlloc")]
public partial struct IommuViommuAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuViommuAllocFlags Flags;
    public IommuViommuType Type;
    public DeviceId DevId;
    public HwptId HwptId;
    [Output, LastMandatory] public ViommuId OutViommuId;
    public uint DataLen;
    [Reserved] public uint Reserved;
    public ulong DataUptr;
}

/// <summary>IOMMU_VIOMMU_ALLOC takes no flags.</summary>
[Flags]
public enum IommuViommuAllocFlags : uint
{
    None = 0,
}

/// <summary>enum iommu_viommu_type (plus the selftest driver's type).</summary>
public enum IommuViommuType : uint
{
    Default = 0,
    ArmSmmuv3 = 1,
    Tegra241Cmdqv = 2,
    Selftest = 0xdeadbeef,
}
