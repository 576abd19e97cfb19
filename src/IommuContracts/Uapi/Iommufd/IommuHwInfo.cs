using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hw_info: the IOMMU driver's description of a device's IOMMU. DataType is in/out (input
/// only with <see cref="IommuHwInfoFlags.InputType"/>); DataLen is the buffer length in and the driver's
/// length out.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8A, Name = "IOMMU_GET_HW_INFO", StubName = "GetHwInfo")]
public partial struct IommuHwInfo
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Request flags (<see cref="IommuHwInfoFlags"/>).</summary>
    [CheckedFlags] public IommuHwInfoFlags Flags;
    /// <summary>The device to describe; it must be bound to this iommufd.</summary>
    public DeviceId DevId;
    /// <summary>In: the length of the buffer at <see cref="DataUptr"/>; out: the length of the driver's data (a shorter buffer gets a truncated copy, a longer one a zero-filled tail).</summary>
    [InOut] public uint DataLen;
    /// <summary>User pointer to the buffer that receives the driver-specific data (for example <see cref="IommuHwInfoVtd"/>).</summary>
    public ulong DataUptr;
    /// <summary>Out: the type of the data written; in, with <see cref="IommuHwInfoFlags.InputType"/>: the type wanted.</summary>
    [InOut] public IommuHwInfoType DataType;
    /// <summary>Output: log2 of the number of PASIDs the IOMMU supports for this device; 0 when it supports none.</summary>
    [Output] public byte OutMaxPasidLog2;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public byte Reserved0;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public byte Reserved1;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved, LastMandatory] public byte Reserved2;
    /// <summary>Output: what the IOMMU can do for this device (<see cref="IommuHwCapabilities"/>).</summary>
    [Output] public IommuHwCapabilities OutCapabilities;
}

/// <summary>Flags of IOMMU_GET_HW_INFO.</summary>
[Flags]
public enum IommuHwInfoFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>DataType is an input: report that type (EOPNOTSUPP if the driver cannot).</summary>
    InputType = 1 << 0,
}

/// <summary>enum iommu_hw_info_type (plus the selftest driver's type).</summary>
public enum IommuHwInfoType : uint
{
    /// <summary>No driver-specific data (IOMMU_HW_INFO_TYPE_NONE, later named DEFAULT); with <see cref="IommuHwInfoFlags.InputType"/>, the driver's default type.</summary>
    Default = 0,
    /// <summary>Intel VT-d: the data is <see cref="IommuHwInfoVtd"/>.</summary>
    IntelVtd = 1,
    /// <summary>ARM SMMUv3: the data is struct iommu_hw_info_arm_smmuv3 (the ID registers).</summary>
    ArmSmmuv3 = 2,
    /// <summary>NVIDIA Tegra241 CMDQV: the data is struct iommu_hw_info_tegra241_cmdqv.</summary>
    Tegra241Cmdqv = 3,

    /// <summary>IOMMU_HW_INFO_TYPE_SELFTEST.</summary>
    Selftest = 0xfeedbeef,
}

/// <summary>enum iommufd_hw_capabilities.</summary>
[Flags]
public enum IommuHwCapabilities : ulong
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>The IOMMU can track dirty pages: HWPTs may be allocated with <see cref="IommuHwptAllocFlags.DirtyTracking"/>.</summary>
    DirtyTracking = 1 << 0,
    /// <summary>The device's PASID capability supports the Execute permission.</summary>
    PciPasidExec = 1 << 1,
    /// <summary>The device's PASID capability supports Privileged mode.</summary>
    PciPasidPriv = 1 << 2,
}
