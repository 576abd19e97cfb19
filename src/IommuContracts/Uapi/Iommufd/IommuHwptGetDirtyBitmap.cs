using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// struct iommu_hwpt_get_dirty_bitmap: read (and by default clear) dirty bits; bit i of the u64 words at
/// Data is IOVA Iova + i * PageSize.
/// </summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x8C, Name = "IOMMU_HWPT_GET_DIRTY_BITMAP", StubName = "HwptGetDirtyBitmap", Response = IoctlResponse.None)]
public partial struct IommuHwptGetDirtyBitmap
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The HWPT to read; it must have been allocated with dirty tracking.</summary>
    public HwptId HwptId;
    /// <summary>Read flags (<see cref="IommuHwptGetDirtyBitmapFlags"/>).</summary>
    [CheckedFlags] public IommuHwptGetDirtyBitmapFlags Flags;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public uint Reserved;
    /// <summary>The IOVA that bit 0 of the bitmap stands for; aligned to the IOMMU page size (EINVAL otherwise).</summary>
    public ulong Iova;
    /// <summary>The length in bytes of the IOVA range to read.</summary>
    public ulong Length;
    /// <summary>The bytes of IOVA each bit stands for; 0 is EINVAL, and Iova and the range end must be aligned to it.</summary>
    public ulong PageSize;
    /// <summary>User pointer to the bitmap, <see cref="BitmapWords"/> u64 words long; the kernel sets the bits of dirty pages.</summary>
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
    /// <summary>No flags set.</summary>
    None = 0,

    /// <summary>Read the bits without clearing them.</summary>
    NoClear = 1 << 0,
}
