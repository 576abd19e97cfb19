namespace IommuContracts.Contracts;

/// <summary>
/// A parameter whose value selects one sub-state of a handle (a PASID of a bound device): the handle's
/// <see cref="RequiresStateAttribute"/>, <see cref="TransitionsToAttribute"/> and <see cref="StateQueryAttribute"/>
/// with <c>Key</c> naming this parameter are about the sub-state of that value. The analyzers follow a key that is a
/// constant or one variable; a key they cannot name is not checked.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class StateKeyAttribute : Attribute
{
    /// <summary>
    /// The key value that stands for the handle itself (IOMMU_NO_PASID, 0: the device's RID): a call passing it
    /// makes the handle's own transitions. -1: no such value.
    /// </summary>
    public long SelfValue { get; set; } = -1;
}
