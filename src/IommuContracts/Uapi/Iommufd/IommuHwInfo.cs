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
    [SizeField] public uint Size;
    [CheckedFlags] public IommuHwInfoFlags Flags;
    public DeviceId DevId;
    [InOut] public uint DataLen;
    public ulong DataUptr;
    [InOut] public IommuHwInfoType DataType;
    [Output] public byte OutMaxPasidLog2;
    [Reserved] public byte Reserved0;
    [Reserved] public byte Reserved1;
    [Reserved, LastMandatory] public byte Reserved2;
    [Output] public IommuHwCapabilities OutCapabilities;
}

/// <summary>Flags of IOMMU_GET_HW_INFO.</summary>
[Flags]
public enum IommuHwInfoFlags : uint
{
    None = 0,

    /// <summary>DataType is an input: report that type (EOPNOTSUPP if the driver cannot).</summary>
    InputType = 1 << 0,
}

/// <summary>enum iommu_hw_info_type (plus the selftest driver's type).</summary>
public enum IommuHwInfoType : uint
{
    Default = 0,
    IntelVtd = 1,
    ArmSmmuv3 = 2,
    Tegra241Cmdqv = 3,

    /// <summary>IOMMU_HW_INFO_TYPE_SELFTEST.</summary>
    Selftest = 0xfeedbeef,
}

/// <summary>enum iommufd_hw_capabilities.</summary>
[Flags]
public enum IommuHwCapabilities : ulong
{
    None = 0,
    DirtyTracking = 1 << 0,
    PciPasidExec = 1 << 1,
    PciPasidPriv = 1 << 2,
}
