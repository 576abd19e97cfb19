namespace IommuContracts.Contracts;

/// <summary>The method must not be called while holding the named lock (it may take it, or destroy what needs it); reported as IOMMU0012.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ExcludesLockAttribute : Attribute
{
    public ExcludesLockAttribute(string name) => Name = name;

    public string Name { get; }
}
