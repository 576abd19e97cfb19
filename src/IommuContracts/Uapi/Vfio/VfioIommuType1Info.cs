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
    [SizeField] public uint ArgSz;
    [Output] public VfioIommuInfoFlags Flags;
    [Output, LastMandatory] public ulong IovaPgsizes;
    [Output] public uint CapOffset;
    [Reserved(Enforced = false)] public uint Pad;
}

/// <summary>Flags of vfio_iommu_type1_info.</summary>
[Flags]
public enum VfioIommuInfoFlags : uint
{
    None = 0,
    PgSizes = 1 << 0,
    Caps = 1 << 1,
}
