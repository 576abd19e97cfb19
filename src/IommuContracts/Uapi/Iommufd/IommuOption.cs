using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_option: get or set a global or per-object option. Only Val64 is copied back.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x87, Name = "IOMMU_OPTION", StubName = "Option", Response = IoctlResponse.OutputFields)]
public partial struct IommuOption
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>Which option (<see cref="IommuOptionId"/>).</summary>
    public IommuOptionId OptionId;
    /// <summary>Whether to set or read it.</summary>
    public IommuOptionOp Op;
    /// <summary>Reserved; must be 0 (EOPNOTSUPP otherwise).</summary>
    [Reserved] public ushort Reserved;
    /// <summary>The object a per-object option applies to (an IOAS for HugePages); 0 for a global option.</summary>
    public ObjectId ObjectId;
    /// <summary>In, for Set: the new value; out, for Get: the current value.</summary>
    [InOut, LastMandatory] public ulong Val64;
}

/// <summary>enum iommufd_option.</summary>
public enum IommuOptionId : uint
{
    /// <summary>Global: 0 = per-user RLIMIT_MEMLOCK accounting, 1 = per-process. Needs CAP_SYS_RESOURCE to set.</summary>
    RlimitMode = 0,

    /// <summary>Per IOAS: 1 (default) allows contiguous pages to be combined into large IOMMU pages.</summary>
    HugePages = 1,
}

/// <summary>enum iommufd_option_ops.</summary>
public enum IommuOptionOp : ushort
{
    /// <summary>Set the option to <see cref="IommuOption.Val64"/>.</summary>
    Set = 0,
    /// <summary>Read the option into <see cref="IommuOption.Val64"/>.</summary>
    Get = 1,
}
