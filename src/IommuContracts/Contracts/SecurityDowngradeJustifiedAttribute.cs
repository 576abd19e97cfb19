namespace IommuContracts.Contracts;

/// <summary>Accepts a security downgrade in this member, for the reason given (which must not be empty).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property | AttributeTargets.Class, Inherited = false)]
public sealed class SecurityDowngradeJustifiedAttribute : Attribute
{
    public SecurityDowngradeJustifiedAttribute(string reason) => Reason = reason;

    public string Reason { get; }
}
