namespace IommuContracts.Contracts;

/// <summary>What is copied back to user memory when the ioctl succeeds.</summary>
public enum IoctlResponse
{
    /// <summary><see cref="WholeStruct"/> for iommufd, <see cref="OutputFields"/> for VFIO.</summary>
    ByConvention,

    /// <summary>min(size, sizeof) bytes of the updated struct.</summary>
    WholeStruct,

    /// <summary>Only the fields marked <see cref="OutputAttribute"/> or <see cref="InOutAttribute"/> (IOMMU_OPTION's val64).</summary>
    OutputFields,

    /// <summary>Nothing.</summary>
    None,
}
