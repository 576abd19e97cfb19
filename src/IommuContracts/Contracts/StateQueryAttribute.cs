namespace IommuContracts.Contracts;

/// <summary>A bool property of a handle type that is true exactly when the handle is in <see cref="State"/> (e.g. IsAttached).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class StateQueryAttribute : Attribute
{
    /// <summary>Declares which state the property tests.</summary>
    /// <param name="state">The state the property is true in.</param>
    public StateQueryAttribute(string state) => State = state;

    /// <summary>The state in which the property is true.</summary>
    public string State { get; }
}
