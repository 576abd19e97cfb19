using IommuContracts.Contracts;

namespace IommuContracts.Ioctl;

/// <summary>Everything the shared marshalling code needs to know about one command; generated per struct.</summary>
public sealed class IoctlLayout
{
    /// <summary>Describes one command; called by generated code only.</summary>
    /// <param name="name">The kernel's name for the command.</param>
    /// <param name="command">The request value.</param>
    /// <param name="nativeSize">sizeof the struct as this library knows it.</param>
    /// <param name="minimumSize">The smallest size user space may pass.</param>
    /// <param name="convention">iommufd <c>size</c> or VFIO <c>argsz</c> rules.</param>
    /// <param name="copyIn">How the struct is read; never <see cref="IoctlCopyIn.ByConvention"/>.</param>
    /// <param name="response">What is copied back; never <see cref="IoctlResponse.ByConvention"/>.</param>
    /// <param name="reportsOnError">Whether the struct is copied back when the command fails.</param>
    public IoctlLayout(
        string name,
        uint command,
        int nativeSize,
        int minimumSize,
        IoctlConvention convention,
        IoctlCopyIn copyIn,
        IoctlResponse response,
        bool reportsOnError)
    {
        Name = name;
        Command = command;
        NativeSize = nativeSize;
        MinimumSize = minimumSize;
        Convention = convention;
        CopyIn = copyIn;
        Response = response;
        ReportsOnError = reportsOnError;
    }

    /// <summary>The kernel's name for the command (IOMMU_IOAS_MAP).</summary>
    public string Name { get; }

    /// <summary>The request value passed to ioctl(2).</summary>
    public uint Command { get; }

    /// <summary>sizeof the struct as this library knows it.</summary>
    public int NativeSize { get; }

    /// <summary>The smallest size user space may pass (offset-end of the last mandatory field).</summary>
    public int MinimumSize { get; }

    /// <summary>Whose size rules the argument follows: iommufd's leading <c>size</c> or VFIO's <c>argsz</c>.</summary>
    public IoctlConvention Convention { get; }

    /// <summary>Resolved: never <see cref="IoctlCopyIn.ByConvention"/>.</summary>
    public IoctlCopyIn CopyIn { get; }

    /// <summary>Resolved: never <see cref="IoctlResponse.ByConvention"/>.</summary>
    public IoctlResponse Response { get; }

    /// <summary>True when the struct is copied back even when the command fails.</summary>
    public bool ReportsOnError { get; }

    /// <summary>The errno for a known field holding an unsupported value: EOPNOTSUPP (iommufd) or EINVAL (VFIO).</summary>
    public Errno UnsupportedValueErrno => Convention == IoctlConvention.Iommufd ? Errno.EOPNOTSUPP : Errno.EINVAL;
}
