namespace IommuContracts.Contracts;

/// <summary>
/// The handle passed here (or the receiver, on a method) must be in one of <see cref="States"/>; otherwise
/// the call is reported as <see cref="Rule"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequiresStateAttribute : Attribute
{
    /// <summary>Declares the states the handle may be in.</summary>
    /// <param name="states">The accepted states, from the handle type's <see cref="TypestateAttribute.States"/>.</param>
    public RequiresStateAttribute(params string[] states) => States = states;

    /// <summary>The states in which the call is allowed.</summary>
    public string[] States { get; }

    /// <summary>The rule ID reported when the state does not match.</summary>
    public string Rule { get; set; } = RuleIds.UseAfterUnbind;
}
