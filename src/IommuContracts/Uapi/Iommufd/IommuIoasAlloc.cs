using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_alloc: allocate an IO address space.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x81, Name = "IOMMU_IOAS_ALLOC", StubName = "IoasAlloc")]
public partial struct IommuIoasAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuIoasAllocFlags Flags;
    [Output, LastMandatory] public IoasId OutIoasId;
}

/// <summary>IOMMU_IOAS_ALLOC takes no flags yet: any bit is EOPNOTSUPP.</summary>
[Flags]
public enum IommuIoasAllocFlags : uint
{
    None = 0,
}
