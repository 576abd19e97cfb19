namespace IommuContracts.Engine.Iommu;

/// <summary>Which IOMMU driver serves an instance: decides nested data types, hw_info and invalidation formats.</summary>
public enum IommuDriverKind
{
    /// <summary>The selftest mock driver (nested data 0xdead, hw_info 0xfeedbeef).</summary>
    Mock,

    /// <summary>A generic paging-only driver (no nesting, no hw_info data).</summary>
    Generic,

    /// <summary>
    /// Intel VT-d (drivers/iommu/intel) as QEMU's intel-iommu presents it: hw_info type INTEL_VTD with the CAP and
    /// ECAP registers, second-stage paging domains, no nesting and no dirty tracking.
    /// </summary>
    IntelVtd,
}
