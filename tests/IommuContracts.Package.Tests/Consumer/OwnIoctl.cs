using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace Consumer;

/// <summary>An ioctl declared in the user's project: the packaged generator gives it a command number and a stub.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x81, Name = "IOMMU_IOAS_ALLOC", StubName = "AllocateIoasHere")]
public partial struct ConsumerIoasAlloc
{
    [SizeField] public uint Size;
    [CheckedFlags] public IommuIoasAllocFlags Flags;
    [Output, LastMandatory] public IoasId OutIoasId;
}
