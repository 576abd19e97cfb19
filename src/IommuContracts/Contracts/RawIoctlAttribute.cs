namespace IommuContracts.Contracts;

/// <summary>A raw ioctl entry point whose <c>command</c> parameter is an ioctl number; literal numbers that have a typed stub are reported (IOMMU0104).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RawIoctlAttribute : Attribute
{
}
