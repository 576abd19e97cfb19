using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_alloc: allocate a paging HWPT on an IOAS, or a nested HWPT on a nesting parent or a
/// vIOMMU. Flags are validated by the handler (after the ID lookups, as the kernel does), not up front.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x89, Name = "IOMMU_HWPT_ALLOC", StubName = "HwptAlloc", IovaRanges = IovaRangesEffect.Invalidates)]
public partial struct IommuHwptAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Allocation flags (<see cref="IommuHwptAllocFlags"/>); unknown bits give EOPNOTSUPP.</summary>
    public IommuHwptAllocFlags Flags;
    /// <summary>The device the HWPT is allocated for; it must be bound to this iommufd.</summary>
    public DeviceId DevId;
    /// <summary>What the HWPT sits on: an IOAS (paging HWPT), a nesting-parent HWPT or a vIOMMU (nested HWPT).</summary>
    public ObjectId PtId;
    /// <summary>Output: the ID of the new HWPT.</summary>
    [Output] public HwptId OutHwptId;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved, LastMandatory] public uint Reserved;
    /// <summary>The type of the driver data at <see cref="DataUptr"/>; <see cref="IommuHwptDataType.None"/> for a paging HWPT.</summary>
    public IommuHwptDataType DataType;
    /// <summary>The length in bytes of the driver data: 0 with <see cref="IommuHwptDataType.None"/>, non-zero with any other type (EINVAL otherwise).</summary>
    public uint DataLen;
    /// <summary>User pointer to the driver data that configures a nested HWPT.</summary>
    public ulong DataUptr;
    /// <summary>The fault queue that receives this HWPT's I/O page faults; read only with <see cref="IommuHwptAllocFlags.FaultIdValid"/>.</summary>
    public FaultId FaultId;

    // Padding after fault_id; the kernel sources read do not check it.
    /// <summary>Padding after FaultId; leave 0.</summary>
    [Reserved(Enforced = false)] public uint Reserved2;
}

/// <summary>enum iommufd_hwpt_alloc_flags.</summary>
[Flags]
public enum IommuHwptAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <summary>The HWPT may serve as the parent of nested HWPTs and vIOMMUs (IOMMU_HWPT_ALLOC_NEST_PARENT).</summary>
    NestParent = 1 << 0,
    /// <summary>The HWPT must support dirty tracking; EOPNOTSUPP if the IOMMU cannot.</summary>
    DirtyTracking = 1 << 1,
    /// <see cref="IommuHwptAlloc.FaultId"/> is valid: faults on this HWPT go to that queue.
    FaultIdValid = 1 << 2,
    /// <summary>The HWPT may be attached to PASIDs as well as to whole devices.</summary>
    Pasid = 1 << 3,
}

/// <summary>enum iommu_hwpt_data_type (plus the selftest driver's type).</summary>
public enum IommuHwptDataType : uint
{
    /// <summary>No driver data: a paging HWPT on an IOAS or nesting parent.</summary>
    None = 0,
    /// <summary>Intel VT-d stage-1 page table (struct iommu_hwpt_vtd_s1).</summary>
    VtdS1 = 1,
    /// <summary>ARM SMMUv3 nested stream table entry (struct iommu_hwpt_arm_smmuv3).</summary>
    ArmSmmuv3 = 2,

    /// <summary>IOMMU_HWPT_DATA_SELFTEST: the mock driver's nested data (<see cref="IommuHwptSelftest"/>).</summary>
    Selftest = 0xdead,
}
