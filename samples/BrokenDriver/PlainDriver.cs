using IommuContracts;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>A driver that binds devices to iommufd without declaring that it manages their DMA (K2: EPERM).</summary>
public sealed class PlainDriver
{
    public Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev)
        => Iommufd.DeviceBind(ctx, dev, out idev, out _); // IOMMU0009
}
