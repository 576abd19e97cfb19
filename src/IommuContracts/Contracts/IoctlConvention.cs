namespace IommuContracts.Contracts;

/// <summary>The two argument conventions that share the <c>';'</c> ioctl magic.</summary>
public enum IoctlConvention
{
    /// <summary>
    /// iommufd: the leading <c>size</c> selects the struct version (copy_struct_from_user: short structs
    /// zero-filled, non-zero bytes past sizeof → E2BIG); unknown flags and non-zero reserved fields →
    /// EOPNOTSUPP; the whole struct (up to <c>size</c>) is copied back on success. Dispatched through a
    /// table indexed by the ioctl number, like the kernel's iommufd_ioctl_ops.
    /// </summary>
    Iommufd,

    /// <summary>
    /// VFIO: the kernel reads the minimum struct, rejects <c>argsz</c> below it and unknown flags with
    /// EINVAL, reads flag-gated tails only when the flag is set, and copies back only the output fields.
    /// Dispatched by the full command value.
    /// </summary>
    Vfio,
}
