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

    /// <summary>
    /// The u64 words of a bitmap for <paramref name="length"/> bytes in units of <paramref name="pageSize"/> (one bit
    /// per unit, a partial unit counted whole); 0 for a page size of 0, which the kernel rejects with EINVAL.
    /// </summary>
    public static ulong BitmapWords(ulong length, ulong pageSize)
    {
        if (pageSize == 0)
        {
            return 0;
        }

        var bits = (length / pageSize) + (length % pageSize != 0 ? 1UL : 0);
        return (bits / 64) + (bits % 64 != 0 ? 1UL : 0);
    }
}

/// <summary>enum iommufd_hwpt_get_dirty_bitmap_flags.</summary>
[Flags]
public enum IommuHwptGetDirtyBitmapFlags : uint
{
    None = 0,

    /// <summary>Read the bits without clearing them.</summary>
    NoClear = 1 << 0,
}
