namespace IommuContracts.Contracts;

/// <summary>Only a type marked <see cref="DriverManagedDmaAttribute"/> may call this (iommufd_device_bind).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RequiresDriverManagedDmaAttribute : Attribute
{
}
