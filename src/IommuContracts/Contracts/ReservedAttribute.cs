namespace IommuContracts.Contracts;

/// <summary>
/// A field user space must leave zero. Non-zero fails the ioctl before its handler runs (EOPNOTSUPP for
/// iommufd, EINVAL for VFIO). Stubs always send zero.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ReservedAttribute : Attribute
{
    /// <summary>False for padding and trailing markers the kernel never checks (the stub still sends zero).</summary>
    public bool Enforced { get; set; } = true;
}
