namespace IommuContracts.Contracts;

/// <summary>Marks a call's effect on the caller's knowledge of the IOVA ranges (IOMMU0103).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IovaRangesAttribute : Attribute
{
    /// <summary>Declares the call's effect.</summary>
    /// <param name="effect">What the call does to the caller's knowledge of the ranges.</param>
    public IovaRangesAttribute(IovaRangesEffect effect) => Effect = effect;

    /// <summary>What the call does to the caller's knowledge of the ranges.</summary>
    public IovaRangesEffect Effect { get; }
}
