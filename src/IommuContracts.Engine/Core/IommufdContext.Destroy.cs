using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOMMU_DESTROY.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuDestroy))]
    private Errno Destroy(ref IommuDestroy destroy) => Objects.RemoveByUser(destroy.Id.Value);
}
