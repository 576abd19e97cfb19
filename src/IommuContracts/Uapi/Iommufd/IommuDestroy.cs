using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_destroy: destroy any destroyable object by ID.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x80, Name = "IOMMU_DESTROY", StubName = "Destroy", Response = IoctlResponse.None)]
public partial struct IommuDestroy
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The object to destroy, of any destroyable kind; EBUSY while something still uses it, ENOENT if there is no such object.</summary>
    [LastMandatory] public ObjectId Id;
}
