namespace IommuContracts.Contracts;

/// <summary>Marks a call's effect on the caller's knowledge of the IOVA ranges (IOMMU0103).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IovaRangesAttribute : Attribute
{
    public IovaRangesAttribute(IovaRangesEffect effect) => Effect = effect;

    public IovaRangesEffect Effect { get; }
}
