namespace IommuContracts.Contracts;

/// <summary>The result of this method (an <see cref="Errno"/>) must be checked before its outputs are used.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class MustCheckAttribute : Attribute
{
}
