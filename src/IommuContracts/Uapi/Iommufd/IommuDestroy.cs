using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_destroy: destroy any destroyable object by ID.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x80, Name = "IOMMU_DESTROY", StubName = "Destroy", Response = IoctlResponse.None)]
public partial struct IommuDestroy
{
    [SizeField] public uint Size;
    [LastMandatory] public ObjectId Id;
}
