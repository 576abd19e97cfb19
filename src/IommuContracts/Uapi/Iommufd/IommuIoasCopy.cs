using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_copy: map an existing range of one IOAS into another (pages shared, pinned once).</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x83, Name = "IOMMU_IOAS_COPY", StubName = "IoasCopy")]
public partial struct IommuIoasCopy
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuIoasMapFlags Flags;
    public IoasId DstIoasId;
    public IoasId SrcIoasId;
    public ulong Length;
    [InOut] public ulong DstIova;
    [LastMandatory] public ulong SrcIova;
}
