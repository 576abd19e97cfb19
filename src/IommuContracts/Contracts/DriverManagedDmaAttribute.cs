namespace IommuContracts.Contracts;

/// <summary>Declares that a driver manages its devices' DMA itself (driver_managed_dma), which binding them to iommufd requires.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class DriverManagedDmaAttribute : Attribute
{
}
