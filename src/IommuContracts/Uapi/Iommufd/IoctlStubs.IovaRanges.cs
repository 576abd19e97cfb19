using System.Runtime.InteropServices;
using IommuContracts.Contracts;
using IommuContracts.Ioctl;

namespace IommuContracts.Uapi;

/// <summary>
/// The typed client stubs of the iommufd and VFIO uapi (generated from the uapi structs), and helpers for the
/// commands whose answer is a variable-length array: they take and return spans or arrays of the element struct
/// and do the kernel's size negotiation for the caller.
/// </summary>
public static partial class IoctlStubs
{
    /// <summary>How many times the array helpers ask again when the answer keeps growing between two calls.</summary>
    internal const int MaxProbeAttempts = 8;

    private static readonly int IovaRangesPointerOffset = (int)Marshal.OffsetOf<IommuIoasIovaRanges>(nameof(IommuIoasIovaRanges.AllowedIovas));

    /// <summary>
    /// IOMMU_IOAS_IOVA_RANGES into <paramref name="ranges"/>: <paramref name="count"/> is the number of usable
    /// ranges the IOAS has, of which the first <c>min(count, ranges.Length)</c> were written. EMSGSIZE when the
    /// span is too small (the count still says how many there are), ENOENT for an unknown IOAS.
    /// </summary>
    [MustCheck]
    [IovaRanges(IovaRangesEffect.Refreshes)]
    public static Errno IoasIovaRanges(this IIoctlFile file, IoasId ioasId, Span<IommuIovaRange> ranges, out int count, out ulong alignment)
    {
        var query = new IommuIoasIovaRanges { IoasId = ioasId, NumIovas = (uint)ranges.Length };
        var result = IoctlClient.Invoke(file, ref query, IovaRangesPointerOffset, MemoryMarshal.AsBytes(ranges));
        count = result is Errno.None or Errno.EMSGSIZE ? (int)Math.Min(query.NumIovas, int.MaxValue) : 0;
        alignment = result is Errno.None or Errno.EMSGSIZE ? query.OutIovaAlignment : 0;
        return result;
    }

    /// <summary>
    /// IOMMU_IOAS_IOVA_RANGES as an array: asks for the count, then for exactly that many ranges, and asks again
    /// (up to a few times) if an attach or ALLOW_IOVAS added ranges in between. EMSGSIZE only if the ranges kept
    /// growing; ENOENT for an unknown IOAS. <paramref name="ranges"/> is empty on error.
    /// </summary>
    [MustCheck]
    [IovaRanges(IovaRangesEffect.Refreshes)]
    public static Errno IoasIovaRanges(this IIoctlFile file, IoasId ioasId, out IommuIovaRange[] ranges, out ulong alignment)
    {
        ranges = [];
        var result = IoasIovaRanges(file, ioasId, Span<IommuIovaRange>.Empty, out var count, out alignment);
        for (var attempt = 1; result == Errno.EMSGSIZE && attempt < MaxProbeAttempts; attempt++)
        {
            var buffer = new IommuIovaRange[count];
            result = IoasIovaRanges(file, ioasId, buffer, out count, out alignment);
            if (result == Errno.None)
            {
                // Fewer ranges than a moment ago (a detach removed a reserved region): keep what was written.
                ranges = count == buffer.Length ? buffer : buffer[..count];
            }
        }

        if (result != Errno.None)
        {
            alignment = 0;
        }

        return result;
    }
}
