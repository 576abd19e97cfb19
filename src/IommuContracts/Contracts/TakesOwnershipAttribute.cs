namespace IommuContracts.Contracts;

/// <summary>The callee takes over the handle passed here; the caller no longer has to release it.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class TakesOwnershipAttribute : Attribute
{
}
