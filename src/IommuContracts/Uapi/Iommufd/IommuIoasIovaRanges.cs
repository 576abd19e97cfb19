using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_ioas_iova_ranges: the usable IOVA ranges and the required alignment. NumIovas is the
/// capacity of the IommuIovaRange array at AllowedIovas on input and the total on output (EMSGSIZE when
/// the array was too small).
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x84, Name = "IOMMU_IOAS_IOVA_RANGES", StubName = "IoasIovaRanges", IovaRanges = IovaRangesEffect.Refreshes)]
public partial struct IommuIoasIovaRanges
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The IOAS to query.</summary>
    public IoasId IoasId;
    /// <summary>In: the capacity of the array at <see cref="AllowedIovas"/>; out: the total number of usable ranges.</summary>
    [InOut] public uint NumIovas;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
    /// <summary>User pointer to the <see cref="IommuIovaRange"/> array that receives the ranges, in ascending order.</summary>
    public ulong AllowedIovas;
    /// <summary>Output: the alignment every mapped IOVA and length must have (the IOMMU page size).</summary>
    [Output, LastMandatory] public ulong OutIovaAlignment;
}
