namespace IommuContracts.Contracts;

/// <summary>
/// A VFIO tail field that is read only when <c>flag</c> is set in the checked flags field; then
/// <c>argsz</c> must reach the end of this field (EINVAL otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class RequiredWithFlagAttribute : Attribute
{
    public RequiredWithFlagAttribute(ulong flag) => Flag = flag;

    public ulong Flag { get; }
}
