namespace IommuContracts.Contracts;

/// <summary>
/// On an out parameter (or the return value): when the call succeeds (returns <see cref="Errno.None"/>) the
/// handle is live in <see cref="State"/> and its acquirer must release it or hand it on.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue, Inherited = false)]
public sealed class AcquiresAttribute : Attribute
{
    public AcquiresAttribute(string state) => State = state;

    public string State { get; }
}
