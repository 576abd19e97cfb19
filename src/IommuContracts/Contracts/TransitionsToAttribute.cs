namespace IommuContracts.Contracts;

/// <summary>
/// After the call the handle passed here (or the receiver, on a method) is in <see cref="State"/>: only when
/// the call succeeds, unless <see cref="Always"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class TransitionsToAttribute : Attribute
{
    /// <summary>Declares the state the handle is in after the call.</summary>
    /// <param name="state">One of the handle type's <see cref="TypestateAttribute.States"/>.</param>
    public TransitionsToAttribute(string state) => State = state;

    /// <summary>The state the handle is in after the call.</summary>
    public string State { get; }

    /// <summary>The transition happens whether or not the call succeeds.</summary>
    public bool Always { get; set; }
}
