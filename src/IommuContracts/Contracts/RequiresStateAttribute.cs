namespace IommuContracts.Contracts;

/// <summary>
/// The handle passed here (or the receiver, on a method) must be in one of <see cref="States"/>; otherwise
/// the call is reported as <see cref="Rule"/>.
/// </summary>
/// <remarks>
/// With <see cref="Key"/>, the requirement is on one sub-state of the handle: the one the named parameter's value
/// selects (a device's PASID, see <see cref="StateKeyAttribute"/>). The sub-states use the handle type's state names
/// and start, for a handle acquired in the method, in the state it was acquired in.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class RequiresStateAttribute : Attribute
{
    /// <summary>The handle (or, with <see cref="Key"/>, its sub-state) must be in one of <paramref name="states"/>.</summary>
    /// <param name="states">The accepted states, from the handle type's <see cref="TypestateAttribute.States"/>.</param>
    public RequiresStateAttribute(params string[] states) => States = states;

    /// <summary>The states the call accepts.</summary>
    public string[] States { get; }

    /// <summary>The rule ID reported when the state does not match.</summary>
    public string Rule { get; set; } = RuleIds.UseAfterUnbind;

    /// <summary>
    /// The name of the parameter whose value selects the sub-state this requirement is about (null: the handle's own
    /// state). The parameter carries <see cref="StateKeyAttribute"/>.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// The sub-state of every key must be in <see cref="States"/> too (unbind: no PASID may still be attached).
    /// </summary>
    public bool EveryKey { get; set; }
}
