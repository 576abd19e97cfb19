using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_alloc: allocate an IO address space.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x81, Name = "IOMMU_IOAS_ALLOC", StubName = "IoasAlloc")]
public partial struct IommuIoasAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>No flags are defined; must be 0 (EOPNOTSUPP otherwise).</summary>
    [CheckedFlags] public IommuIoasAllocFlags Flags;
    /// <summary>Output: the ID of the new IOAS.</summary>
    [Output, LastMandatory] public IoasId OutIoasId;
}

/// <summary>IOMMU_IOAS_ALLOC takes no flags yet: any bit is EOPNOTSUPP.</summary>
[Flags]
public enum IommuIoasAllocFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
}
