namespace IommuContracts.Contracts;

/// <summary>A field the caller supplies and the kernel may update; the stub takes it as a <c>ref</c> parameter.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class InOutAttribute : Attribute
{
}
