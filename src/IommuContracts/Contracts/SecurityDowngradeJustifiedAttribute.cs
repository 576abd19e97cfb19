namespace IommuContracts.Contracts;

/// <summary>Accepts a security downgrade in this member, for the reason given (which must not be empty).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Class, Inherited = false)]
public sealed class SecurityDowngradeJustifiedAttribute : Attribute
{
    /// <summary>Accepts the downgrade for the given reason.</summary>
    /// <param name="reason">Why the downgrade is acceptable here; must not be empty.</param>
    public SecurityDowngradeJustifiedAttribute(string reason) => Reason = reason;

    /// <summary>Why the downgrade is acceptable here.</summary>
    public string Reason { get; }
}
