namespace IommuContracts.Contracts;

/// <summary>How a struct argument is read from user memory.</summary>
public enum IoctlCopyIn
{
    /// <summary><see cref="CopyStruct"/> for iommufd, <see cref="MinimumAndFlagTails"/> for VFIO.</summary>
    ByConvention,

    /// <summary>copy_struct_from_user: read the size, EINVAL below the minimum, E2BIG for non-zero bytes past sizeof.</summary>
    CopyStruct,

    /// <summary>VFIO's classic form: read the minimum, EINVAL if argsz is smaller, read flag-gated tails on demand.</summary>
    MinimumAndFlagTails,
}
