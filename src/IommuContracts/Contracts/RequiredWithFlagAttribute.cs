namespace IommuContracts.Contracts;

/// <summary>
/// A VFIO tail field that is read only when <c>flag</c> is set in the checked flags field; then
/// <c>argsz</c> must reach the end of this field (EINVAL otherwise).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class RequiredWithFlagAttribute : Attribute
{
    /// <summary>Names the flag that makes this field mandatory.</summary>
    /// <param name="flag">The flag's bit value in the checked flags field.</param>
    public RequiredWithFlagAttribute(ulong flag) => Flag = flag;

    /// <summary>The bit in the checked flags field that makes this field mandatory.</summary>
    public ulong Flag { get; }
}
