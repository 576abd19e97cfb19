namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hw_info_vtd: what IOMMU_GET_HW_INFO reports for a device behind Intel VT-d
/// (<see cref="IommuHwInfoType.IntelVtd"/>): the hardware's capability and extended capability registers, for a
/// VMM that builds a virtual VT-d with matching features.
/// </summary>
public struct IommuHwInfoVtd
{
    /// <summary>Errata the VMM must know about.</summary>
    public IommuHwInfoVtdFlags Flags;

    /// <summary>Must be zero.</summary>
    public uint Reserved;

    /// <summary>The VT-d capability register (CAP_REG, VT-d spec 11.4.2).</summary>
    public ulong CapReg;

    /// <summary>The VT-d extended capability register (ECAP_REG, VT-d spec 11.4.3).</summary>
    public ulong EcapReg;
}

/// <summary>enum iommu_hw_info_vtd_flags.</summary>
[Flags]
public enum IommuHwInfoVtdFlags : uint
{
    /// <summary>No erratum.</summary>
    None = 0,

    /// <summary>
    /// IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17: on affected hardware a read-only nested stage 1 can still be written
    /// through; Linux sets the flag for every VT-d (the driver cannot tell affected parts apart).
    /// </summary>
    Errata772415Spr17 = 1 << 0,
}
