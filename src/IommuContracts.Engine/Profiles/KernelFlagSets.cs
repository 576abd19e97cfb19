namespace IommuContracts.Engine.Profiles;

/// <summary>The names of the flag fields whose accepted bits depend on the kernel version (<see cref="KernelFeature.FlagSet"/>).</summary>
public static class KernelFlagSets
{
    /// <summary>iommu_hw_info.flags.</summary>
    public const string HwInfo = "iommu_hw_info.flags";

    /// <summary>iommu_hwpt_alloc.flags for a paging HWPT (pt_id is an IOAS).</summary>
    public const string HwptAllocPaging = "iommu_hwpt_alloc.flags (paging)";

    /// <summary>iommu_hwpt_alloc.flags for a nested HWPT (pt_id is a paging HWPT).</summary>
    public const string HwptAllocNested = "iommu_hwpt_alloc.flags (nested)";

    /// <summary>vfio_device_attach_iommufd_pt.flags and vfio_device_detach_iommufd_pt.flags.</summary>
    public const string VfioDeviceAttach = "vfio_device_{attach,detach}_iommufd_pt.flags";

    /// <summary>iommu_test_cmd.mock_domain_flags.dev_flags (MOCK_FLAGS_DEVICE_*).</summary>
    public const string MockDevice = "iommu_test_cmd.mock_domain_flags.dev_flags";
}
