using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_alloc: allocate a paging HWPT on an IOAS, or a nested HWPT on a nesting parent or a
/// vIOMMU. Flags are validated by the handler (after the ID lookups, as the kernel does), not up front.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x89, Name = "IOMMU_HWPT_ALLOC", StubName = "HwptAlloc", IovaRanges = IovaRangesEffect.Invalidates)]
public partial struct IommuHwptAlloc
{
    [SizeField] public uint Size;
    public IommuHwptAllocFlags Flags;
    public DeviceId DevId;
    public ObjectId PtId;
    [Output] public HwptId OutHwptId;
    [Reserved, LastMandatory] public uint Reserved;
    public IommuHwptDataType DataType;
    public uint DataLen;
    public ulong DataUptr;
    public FaultId FaultId;

    // Padding after fault_id; the kernel sources read do not check it.
    [Reserved(Enforced = false)] public uint Reserved2;
}

/// <summary>enum iommufd_hwpt_alloc_flags.</summary>
[Flags]
public enum IommuHwptAllocFlags : uint
{
    None = 0,
    NestParent = 1 << 0,
    DirtyTracking = 1 << 1,
    FaultIdValid = 1 << 2,
    Pasid = 1 << 3,
}

/// <summary>enum iommu_hwpt_data_type (plus the selftest driver's type).</summary>
public enum IommuHwptDataType : uint
{
    None = 0,
    VtdS1 = 1,
    ArmSmmuv3 = 2,

    /// <summary>IOMMU_HWPT_DATA_SELFTEST: the mock driver's nested data (<see cref="IommuHwptSelftest"/>).</summary>
    Selftest = 0xdead,
}
