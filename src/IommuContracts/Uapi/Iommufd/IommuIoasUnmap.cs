using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_unmap: unmap whole areas in [Iova, Iova+Length); Length returns the bytes unmapped. (0, ulong.MaxValue) unmaps all.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x86, Name = "IOMMU_IOAS_UNMAP", StubName = "IoasUnmap")]
public partial struct IommuIoasUnmap
{
    [SizeField] public uint Size;
    public IoasId IoasId;
    public ulong Iova;
    [InOut, LastMandatory, OutputMustBeUsed(RuleIds.UnmapLengthIgnored)] public ulong Length;
}
