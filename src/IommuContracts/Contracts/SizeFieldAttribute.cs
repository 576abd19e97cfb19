namespace IommuContracts.Contracts;

/// <summary>Marks the leading <c>uint</c> that carries the struct size (<c>size</c> or <c>argsz</c>); filled in by the stubs.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class SizeFieldAttribute : Attribute
{
}
