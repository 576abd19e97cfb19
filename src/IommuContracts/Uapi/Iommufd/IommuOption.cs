using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_option: get or set a global or per-object option. Only Val64 is copied back.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x87, Name = "IOMMU_OPTION", StubName = "Option", Response = IoctlResponse.OutputFields)]
public partial struct IommuOption
{
    [SizeField] public uint Size;
    public IommuOptionId OptionId;
    public IommuOptionOp Op;
    [Reserved] public ushort Reserved;
    public ObjectId ObjectId;
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
    Set = 0,
    Get = 1,
}
