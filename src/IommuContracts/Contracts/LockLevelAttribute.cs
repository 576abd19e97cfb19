namespace IommuContracts.Contracts;

/// <summary>
/// A lock object (field or property) with a place in the documented lock order: locks must be taken in
/// increasing <see cref="Order"/> (IOMMU0011 otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false)]
public sealed class LockLevelAttribute : Attribute
{
    /// <summary>Places the lock in the order.</summary>
    /// <param name="name">The lock's name, as <see cref="ExcludesLockAttribute"/> refers to it.</param>
    /// <param name="order">Its rank: a lock may only be taken while holding locks of lower rank.</param>
    public LockLevelAttribute(string name, int order)
    {
        Name = name;
        Order = order;
    }

    /// <summary>The lock's name, as <see cref="ExcludesLockAttribute"/> refers to it.</summary>
    public string Name { get; }

    /// <summary>The lock's rank: locks are taken in increasing order.</summary>
    public int Order { get; }
}
