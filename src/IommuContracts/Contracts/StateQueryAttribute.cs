namespace IommuContracts.Contracts;

/// <summary>
/// A bool property of a handle type that is true exactly when the handle is in <see cref="State"/> (e.g. IsAttached),
/// or a bool method with a <see cref="StateKeyAttribute"/> parameter named by <see cref="Key"/> that is true exactly
/// when that key's sub-state is <see cref="State"/> (e.g. IsPasidAttached(pasid)).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Method, Inherited = false)]
public sealed class StateQueryAttribute : Attribute
{
    /// <summary>The query is true exactly in <paramref name="state"/>.</summary>
    /// <param name="state">The state the query is true in.</param>
    public StateQueryAttribute(string state) => State = state;

    /// <summary>The state the query asks about.</summary>
    public string State { get; }

    /// <summary>For a method: the name of its key parameter (the query is about that key's sub-state).</summary>
    public string? Key { get; set; }
}
