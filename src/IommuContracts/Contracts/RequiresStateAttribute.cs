namespace IommuContracts.Contracts;

/// <summary>
/// The handle passed here (or the receiver, on a method) must be in one of <see cref="States"/>; otherwise
/// the call is reported as <see cref="Rule"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequiresStateAttribute : Attribute
{
    public RequiresStateAttribute(params string[] states) => States = states;

    public string[] States { get; }

    /// <summary>The rule ID reported when the state does not match.</summary>
    public string Rule { get; set; } = RuleIds.UseAfterUnbind;
}
