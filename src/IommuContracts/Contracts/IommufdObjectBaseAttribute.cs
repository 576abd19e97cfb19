namespace IommuContracts.Contracts;

/// <summary>
/// Marks the abstract base class of an object table's objects. The generator emits the kind enum
/// <c>ObjectKind</c> next to it and the per-kind destroy / abort dispatch on it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IommufdObjectBaseAttribute : Attribute
{
}
