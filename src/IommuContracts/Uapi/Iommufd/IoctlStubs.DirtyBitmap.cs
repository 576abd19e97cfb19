using System.Runtime.InteropServices;
using IommuContracts.Contracts;
using IommuContracts.Ioctl;

namespace IommuContracts.Uapi;

public static partial class IoctlStubs
{
    private static readonly int DirtyBitmapPointerOffset = (int)Marshal.OffsetOf<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.Data));

    /// <summary>
    /// IOMMU_HWPT_GET_DIRTY_BITMAP into <paramref name="bitmap"/>: bit <c>i</c> (bit <c>i % 64</c> of word
    /// <c>i / 64</c>) stands for the <paramref name="pageSize"/> unit at <c>iova + i * pageSize</c>. Like the kernel,
    /// it sets the dirty bits and leaves the others as they were, so pass a cleared span to read only this call's
    /// answer. EINVAL for a misaligned range or page size, a range that is not wholly mapped, or dirty tracking off;
    /// EOPNOTSUPP for a HWPT without dirty tracking; ENOENT for an unknown HWPT.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="bitmap"/> is shorter than <see cref="IommuHwptGetDirtyBitmap.BitmapWords"/> words.</exception>
    [MustCheck]
    public static Errno HwptGetDirtyBitmap(this IIoctlFile file, HwptId hwptId, IommuHwptGetDirtyBitmapFlags flags, ulong iova, ulong length, ulong pageSize, Span<ulong> bitmap)
    {
        var words = IommuHwptGetDirtyBitmap.BitmapWords(length, pageSize);
        if ((ulong)bitmap.Length < words)
        {
            throw new ArgumentException($"The bitmap holds {bitmap.Length} words; {words} are needed for 0x{length:X} bytes in units of 0x{pageSize:X}.", nameof(bitmap));
        }

        var request = new IommuHwptGetDirtyBitmap { HwptId = hwptId, Flags = flags, Iova = iova, Length = length, PageSize = pageSize };
        return IoctlClient.Invoke(file, ref request, DirtyBitmapPointerOffset, MemoryMarshal.AsBytes(bitmap[..(int)words]));
    }

    /// <summary>
    /// IOMMU_HWPT_GET_DIRTY_BITMAP into a new, cleared bitmap of exactly the words the range needs (see the span
    /// overload for the bit order and the errno). <paramref name="bitmap"/> is empty on error.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The range would need a bitmap larger than an array can be.</exception>
    [MustCheck]
    public static Errno HwptGetDirtyBitmap(this IIoctlFile file, HwptId hwptId, IommuHwptGetDirtyBitmapFlags flags, ulong iova, ulong length, ulong pageSize, out ulong[] bitmap)
    {
        var words = IommuHwptGetDirtyBitmap.BitmapWords(length, pageSize);
        if (words > (ulong)Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A bitmap of {words} words cannot be allocated; read the range in parts.");
        }

        var buffer = new ulong[words];
        var result = HwptGetDirtyBitmap(file, hwptId, flags, iova, length, pageSize, buffer.AsSpan());
        bitmap = result == Errno.None ? buffer : [];
        return result;
    }
}
