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

    /// <summary>
    /// Nothing is copied back automatically; a handler that answers calls <c>IoctlCall.Respond</c>, which
    /// writes what the convention answers with (the whole struct for iommufd, the output fields for VFIO).
    /// </summary>
    None,
}
