namespace IommuContracts.Uapi;

/// <summary>struct iommu_iova_range: an inclusive IOVA interval [Start, Last].</summary>
public struct IommuIovaRange
{
    public ulong Start;
    public ulong Last;

    public IommuIovaRange(ulong start, ulong last)
    {
        Start = start;
        Last = last;
    }

    public override readonly string ToString() => $"[0x{Start:X}, 0x{Last:X}]";
}
