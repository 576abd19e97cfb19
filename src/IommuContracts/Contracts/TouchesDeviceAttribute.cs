namespace IommuContracts.Contracts;

/// <summary>The member programs the device (DMA, MMIO, bus mastering): its driver must own the device's DMA first.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class TouchesDeviceAttribute : Attribute
{
}
