namespace IommuContracts.Contracts;

/// <summary>
/// A lock object (field or property) with a place in the documented lock order: locks must be taken in
/// increasing <see cref="Order"/> (IOMMU0011 otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class LockLevelAttribute : Attribute
{
    public LockLevelAttribute(string name, int order)
    {
        Name = name;
        Order = order;
    }

    public string Name { get; }

    public int Order { get; }
}
