using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_viommu_alloc: allocate a virtual IOMMU on a nesting-parent HWPT.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x90, Name = "IOMMU_VIOMMU_ALLOC", StubName = "ViommuAlloc")]
public partial struct IommuViommuAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>No flags are defined; must be 0 (EOPNOTSUPP otherwise).</summary>
    [CheckedFlags] public IommuViommuAllocFlags Flags;
    /// <summary>The kind of vIOMMU; the IOMMU driver must support it (EOPNOTSUPP otherwise).</summary>
    public IommuViommuType Type;
    /// <summary>A device behind the physical IOMMU the vIOMMU virtualises; bound to this iommufd.</summary>
    public DeviceId DevId;
    /// <summary>The nesting-parent HWPT (allocated with <see cref="IommuHwptAllocFlags.NestParent"/>) that translates guest physical addresses.</summary>
    public HwptId HwptId;
    /// <summary>Output: the ID of the new vIOMMU.</summary>
    [Output, LastMandatory] public ViommuId OutViommuId;
    /// <summary>The length in bytes of the driver data at <see cref="DataUptr"/>; 0 for none.</summary>
    public uint DataLen;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
    /// <summary>User pointer to driver-specific data for the vIOMMU.</summary>
    public ulong DataUptr;
}

/// <summary>IOMMU_VIOMMU_ALLOC takes no flags.</summary>
[Flags]
public enum IommuViommuAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
}

/// <summary>enum iommu_viommu_type (plus the selftest driver's type).</summary>
public enum IommuViommuType : uint
{
    /// <summary>Reserved by the kernel; refused with EOPNOTSUPP.</summary>
    Default = 0,
    /// <summary>ARM SMMUv3.</summary>
    ArmSmmuv3 = 1,
    /// <summary>NVIDIA Tegra241 CMDQV, an extension of ARM SMMUv3.</summary>
    Tegra241Cmdqv = 2,
    /// <summary>IOMMU_VIOMMU_TYPE_SELFTEST: the mock driver's vIOMMU.</summary>
    Selftest = 0xdeadbeef,
}
