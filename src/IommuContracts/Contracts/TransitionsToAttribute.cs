namespace IommuContracts.Contracts;

/// <summary>
/// After the call the handle passed here (or the receiver, on a method) is in <see cref="State"/>: only when
/// the call succeeds, unless <see cref="Always"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, Inherited = false)]
public sealed class TransitionsToAttribute : Attribute
{
    public TransitionsToAttribute(string state) => State = state;

    public string State { get; }

    /// <summary>The transition happens whether or not the call succeeds.</summary>
    public bool Always { get; set; }
}
