namespace IommuContracts.Contracts;

/// <summary>The call ends the handle passed here (or the receiver, on a method such as Dispose): it must not be used afterwards, and nothing leaks.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class ReleasesAttribute : Attribute
{
}
