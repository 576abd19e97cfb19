using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct vfio_iommu_type1_info: page sizes and a capability chain (at CapOffset, inside the argsz the
/// caller allowed). The handler writes the response itself: argsz grows to the size the chain needs.
/// </summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 12, Name = "VFIO_IOMMU_GET_INFO", StubName = "VfioIommuGetInfo",
    Convention = IoctlConvention.Vfio, Response = IoctlResponse.None)]
public partial struct VfioIommuType1Info
{
    /// <summary>In: the length of the caller's buffer; out: the length the whole info and its capability chain need.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>Output: which of the other fields are valid (<see cref="VfioIommuInfoFlags"/>).</summary>
    [Output] public VfioIommuInfoFlags Flags;
    /// <summary>Output: a bitmap of the IOMMU page sizes; bit n set means 2^n bytes are supported.</summary>
    [Output, LastMandatory] public ulong IovaPgsizes;
    /// <summary>Output: the offset of the first capability from the start of the struct; 0 when there is none or it did not fit.</summary>
    [Output] public uint CapOffset;
    /// <summary>Padding; leave 0.</summary>
    [Reserved(Enforced = false)] public uint Pad;
}

/// <summary>Flags of vfio_iommu_type1_info.</summary>
[Flags]
public enum VfioIommuInfoFlags : uint
{
    /// <summary>No flags set.</summary>
    None = 0,
    /// <see cref="VfioIommuType1Info.IovaPgsizes"/> is valid.
    PgSizes = 1 << 0,
    /// <see cref="VfioIommuType1Info.CapOffset"/> points at a capability chain.
    Caps = 1 << 1,
}
