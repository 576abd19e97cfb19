namespace IommuContracts.Contracts;

/// <summary>The call ends the handle passed here: it must not be used afterwards, and nothing leaks.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class ReleasesAttribute : Attribute
{
}
