namespace IommuContracts.Contracts;

/// <summary>
/// On an out parameter (or the return value): when the call succeeds (returns <see cref="Errno.None"/>) the
/// handle is live in <see cref="State"/> and its acquirer must release it or hand it on.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class AcquiresAttribute : Attribute
{
    /// <summary>Declares the state a successful call leaves the handle in.</summary>
    /// <param name="state">One of the handle type's <see cref="TypestateAttribute.States"/>.</param>
    public AcquiresAttribute(string state) => State = state;

    /// <summary>The state the acquired handle starts in.</summary>
    public string State { get; }
}
