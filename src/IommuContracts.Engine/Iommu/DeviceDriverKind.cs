namespace IommuContracts.Engine.Iommu;

/// <summary>What kind of driver is bound to a device, which decides who may own its group's DMA.</summary>
public enum DeviceDriverKind
{
    /// <summary>No driver.</summary>
    None,

    /// <summary>A kernel driver using the DMA API: its group belongs to the DMA API (default domain).</summary>
    DmaApi,

    /// <summary>A driver that declared driver_managed_dma (VFIO, the selftest driver): it hands DMA to iommufd.</summary>
    DriverManagedDma,
}
