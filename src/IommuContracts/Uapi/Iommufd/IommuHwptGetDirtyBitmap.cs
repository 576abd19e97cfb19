using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_get_dirty_bitmap: read (and by default clear) dirty bits; bit i of the u64 words at
/// Data is IOVA Iova + i * PageSize.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8C, Name = "IOMMU_HWPT_GET_DIRTY_BITMAP", StubName = "HwptGetDirtyBitmap", Response = IoctlResponse.None)]
public partial struct IommuHwptGetDirtyBitmap
{
    [SizeField] public uint Size;
    public HwptId HwptId;
    [CheckedFlags] public IommuHwptGetDirtyBitmapFlags Flags;
    [Reserved] public uint Reserved;
    public ulong Iova;
    public ulong Length;
    public ulong PageSize;
    [LastMandatory] public ulong Data;
}

/// <summary>enum iommufd_hwpt_get_dirty_bitmap_flags.</summary>
[Flags]
public enum IommuHwptGetDirtyBitmapFlags : uint
{
    None = 0,

    /// <summary>Read the bits without clearing them.</summary>
    NoClear = 1 << 0,
}
