namespace IommuContracts.Contracts;

/// <summary>
/// Marks <c>Errno M(uint command)</c> on a dispatcher: it runs before anything else and a non-zero result
/// is the ioctl's answer (VFIO's "nothing but BIND until bound" check).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IoctlGateAttribute : Attribute
{
}
