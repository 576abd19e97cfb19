namespace IommuContracts.Contracts;

/// <summary>The method must not be called while holding the named lock (it may take it, or destroy what needs it); reported as IOMMU0012.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ExcludesLockAttribute : Attribute
{
    /// <summary>Names the lock the caller must not hold.</summary>
    /// <param name="name">The <see cref="LockLevelAttribute.Name"/> of the lock.</param>
    public ExcludesLockAttribute(string name) => Name = name;

    /// <summary>The <see cref="LockLevelAttribute.Name"/> of the lock the caller must not hold.</summary>
    public string Name { get; }
}
