namespace IommuContracts.Contracts;

/// <summary>A bool property of a handle type that is true exactly when the handle is in <see cref="State"/> (e.g. IsAttached).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class StateQueryAttribute : Attribute
{
    public StateQueryAttribute(string state) => State = state;

    public string State { get; }
}
