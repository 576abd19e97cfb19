namespace IommuContracts.Contracts;

/// <summary>
/// A flags field whose bits must all be members of its <c>[Flags]</c> enum; any other bit fails the ioctl
/// before its handler runs (EOPNOTSUPP for iommufd, EINVAL for VFIO).
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class CheckedFlagsAttribute : Attribute
{
}
