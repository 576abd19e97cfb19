using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_ioas_unmap: unmap whole areas in [Iova, Iova+Length); Length returns the bytes unmapped. (0, ulong.MaxValue) unmaps all.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x86, Name = "IOMMU_IOAS_UNMAP", StubName = "IoasUnmap")]
public partial struct IommuIoasUnmap
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The IOAS to unmap from.</summary>
    public IoasId IoasId;
    /// <summary>The first IOVA of the range; a range that cuts through a mapping or holds none is ENOENT.</summary>
    public ulong Iova;
    /// <summary>In: the length in bytes of the range; out: the bytes actually unmapped, which callers must check.</summary>
    [InOut, LastMandatory, OutputMustBeUsed(RuleIds.UnmapLengthIgnored)] public ulong Length;
}
