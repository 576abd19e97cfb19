namespace IommuContracts.Contracts;

/// <summary>
/// After the call the handle passed here (or the receiver, on a method) is in <see cref="State"/>: only when
/// the call succeeds, unless <see cref="Always"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class TransitionsToAttribute : Attribute
{
    /// <summary>The handle (or, with <see cref="Key"/>, its sub-state) moves to <paramref name="state"/>.</summary>
    /// <param name="state">One of the handle type's <see cref="TypestateAttribute.States"/>.</param>
    public TransitionsToAttribute(string state) => State = state;

    /// <summary>The state after the call.</summary>
    public string State { get; }

    /// <summary>The transition happens whether or not the call succeeds.</summary>
    public bool Always { get; set; }

    /// <summary>
    /// The name of the parameter whose value selects the sub-state that moves (null: the handle's own state); see
    /// <see cref="RequiresStateAttribute.Key"/>.
    /// </summary>
    public string? Key { get; set; }
}
