namespace IommuContracts.Contracts;

/// <summary>
/// A bool property whose <c>true</c> weakens isolation (allow_unsafe_interrupts). Setting it is reported as
/// <see cref="RuleIds.UnsafeInterrupts"/> unless the containing member carries
/// <see cref="SecurityDowngradeJustifiedAttribute"/> with a reason.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SecurityDowngradeAttribute : Attribute
{
}
