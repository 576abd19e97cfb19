namespace IommuContracts.Uapi;

/// <summary>struct iommu_iova_range: an inclusive IOVA interval [Start, Last].</summary>
public struct IommuIovaRange
{
    /// <summary>The first IOVA of the range.</summary>
    public ulong Start;
    /// <summary>The last IOVA of the range, inclusive.</summary>
    public ulong Last;

    /// <summary>An inclusive range [start, last].</summary>
    /// <param name="start">The first IOVA.</param>
    /// <param name="last">The last IOVA, inclusive.</param>
    public IommuIovaRange(ulong start, ulong last)
    {
        Start = start;
        Last = last;
    }

    /// <summary>The range in hexadecimal, <c>[0xStart, 0xLast]</c>.</summary>
    /// <returns>The range for logs and messages.</returns>
    public override readonly string ToString() => $"[0x{Start:X}, 0x{Last:X}]";
}
