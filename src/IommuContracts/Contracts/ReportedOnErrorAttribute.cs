namespace IommuContracts.Contracts;

/// <summary>
/// A progress count the kernel reports even when the ioctl fails (IOMMU_HWPT_INVALIDATE's entry_num): on
/// error the struct is copied back, with this field zeroed if the failure came before the handler ran.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class ReportedOnErrorAttribute : Attribute
{
}
