namespace IommuContracts.Contracts;

/// <summary>A field the kernel writes and the caller does not supply; the stub returns it as an <c>out</c> parameter.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}
